"""Facts in the warehouse after real ingest runs, read through the public views."""
from __future__ import annotations

import shutil
from datetime import date

import duckdb

from conftest import SEED_INTERVIEW, SEED_NEWS

from newsetl.warehouse.events import PUBLISHED, event_dating, fill_event_dates


def doc_id(con, source_id: str) -> str:
    return con.execute("SELECT doc_id FROM documents WHERE source_id = ?", ["samples/" + source_id]).fetchone()[0]


def test_posts_held_by_a_person_over_time(flow_runs):
    con = flow_runs["con"]
    rows = con.execute(
        "SELECT position, organisation, kind, valid_from, valid_to FROM positions_of('Таалатбек Масадыков')"
    ).fetchall()
    by_position = {(r[0], r[2]): r for r in rows}
    appointed = by_position[("генеральный секретарь", "appointed")]
    assert appointed[1] == "Организация Договора о коллективной безопасности"
    assert appointed[3] == date(2026, 1, 1)
    deputy = by_position[("заместитель генерального секретаря", "held")]
    assert deputy[3] == date(2024, 1, 1) and deputy[1] == "Организация Договора о коллективной безопасности"
    adviser = by_position[("политический советник", "held")]
    assert (adviser[3], adviser[4]) == (date(2002, 1, 1), date(2014, 12, 31))
    assert ("кандидат в президенты", "candidate") in by_position
    dated = [r[3] for r in rows if r[3] is not None]
    assert dated == sorted(dated), "posts come in time order"


def test_exercises_planned_for_october(flow_runs):
    con = flow_runs["con"]
    october = con.execute(
        "SELECT name FROM v_named_events WHERE kind = 'exercise' AND month = '2026-10' ORDER BY name"
    ).fetchall()
    assert october == [("Барьер-2026",), ("Нерушимое братство – 2026",)]
    operations = {r[0] for r in con.execute("SELECT name FROM v_named_events WHERE kind = 'operation'").fetchall()}
    assert operations == {"Наемник", "Канал", "Нелегал", "ПРОКСИ"}
    by_month = con.execute("SELECT n_events FROM v_events_by_month WHERE month = '2026-10' AND kind = 'exercise'").fetchone()
    assert by_month == (2,)


def test_publish_keeps_one_date_row_per_published_event(flow_runs):
    con = flow_runs["con"]
    keys = "SELECT doc_id, record_no FROM {} ORDER BY ALL"
    assert con.execute(keys.format("event_dates")).fetchall() == con.execute(keys.format("named_events")).fetchall()
    # dated from the staged rows at publish, as the published tables date them
    assert sorted(con.execute("FROM event_dates").fetchall(), key=str) == \
        sorted(con.execute(event_dating(PUBLISHED)).fetchall(), key=str)
    dated = con.execute("SELECT date_surface, date_from FROM event_dates WHERE date_from IS NOT NULL").fetchall()
    assert dated, "the samples' events are dated"


def test_a_warehouse_from_before_event_dates_gets_them_once(flow_runs, tmp_path):
    copy = tmp_path / "old.duckdb"
    shutil.copy(flow_runs["data_dir"] / "newsetl.duckdb", copy)
    con = duckdb.connect(str(copy))
    expected = sorted(con.execute("FROM event_dates").fetchall(), key=str)
    con.execute("DELETE FROM event_dates")  # as an earlier version left it: the table was not there
    assert fill_event_dates(con) is True
    assert sorted(con.execute("FROM event_dates").fetchall(), key=str) == expected
    assert fill_event_dates(con) is False
    october = con.execute("SELECT count(*) FROM v_named_events WHERE kind = 'exercise' AND month = '2026-10'").fetchone()
    assert october == (2,)
    con.close()


def test_interview_questions_and_answers(flow_runs):
    con = flow_runs["con"]
    rows = con.execute(
        "SELECT question_no, asked_by, question, answered_by_entity, answer FROM v_interview_qa WHERE doc_id = ?",
        [doc_id(con, SEED_INTERVIEW)],
    ).fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert {r[1] for r in rows} == {"Союзники. ОДКБ"}
    assert {r[3] for r in rows} == {"Таалатбек Масадыков"}
    third = rows[2]
    assert third[2].startswith("Мы все ежедневно с озабоченностью")
    assert third[4].startswith("Евразия сегодня – это геополитический центр")


def test_sources_of_a_story(flow_runs):
    con = flow_runs["con"]
    rows = con.execute("SELECT kind, source FROM v_story_sources WHERE doc_id = ?", [doc_id(con, SEED_NEWS)]).fetchall()
    assert ("outlet", "Lada.kz") in rows
    assert ("original_source", "пресс-служба Акорды") in rows


def test_structure_and_dates_of_the_news_seed(flow_runs):
    con = flow_runs["con"]
    news = doc_id(con, SEED_NEWS)
    headings = [r[0] for r in con.execute("SELECT heading FROM sections WHERE doc_id = ? ORDER BY section_no", [news]).fetchall()]
    assert headings == ["Итоги саммита ОДКБ", "Новый генеральный секретарь — Таалатбек Масадыков",
                        "Биография и опыт Масадыкова", "Принятые документы и дальнейшие планы"]
    genre = con.execute("SELECT kind FROM genres WHERE doc_id = ?", [news]).fetchone()[0]
    assert genre == "news"
    duration = con.execute("SELECT duration FROM dates WHERE doc_id = ? AND surface = 'сроком на три года'", [news]).fetchone()
    assert duration == ("P3Y",)
    interview_genre = con.execute("SELECT kind FROM genres WHERE doc_id = ?", [doc_id(con, SEED_INTERVIEW)]).fetchone()[0]
    assert interview_genre == "interview"


def test_fact_offsets_match_the_stored_text(flow_runs):
    con = flow_runs["con"]
    for table, column in [("dates", "surface"), ("occupations", "evidence"), ("attributions", "evidence"),
                          ("sections", "heading"), ("interview_turns", "text"), ("named_events", "name")]:
        bad = con.execute(
            f"""SELECT count(*) FROM {table} r JOIN documents d USING (doc_id)
                WHERE substring(d.text, r.char_start + 1, r.char_end - r.char_start) <> r.{column}"""
        ).fetchone()[0]
        assert bad == 0, table
        assert con.execute(f"SELECT count(*) FROM {table} WHERE extractor_version NOT LIKE 'facts/%'").fetchone()[0] == 0
