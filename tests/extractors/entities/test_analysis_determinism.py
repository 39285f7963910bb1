"""The analysis of a text depends on that text only: not on what the process analysed before,
nor on the process's string-hash seed (each worker process has its own)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from newsetl.extractors.entities.analyze import analyze

ROOT = Path(__file__).resolve().parents[3]
# Names whose normal form used to flip from one build to the next (tie of gender votes broken by set order).
TEXT_A = ("Вдова Нельсона Манделы Граса Машел выступила на похоронах. Роль Марции Бизоньиной исполнила актриса. "
          "Вождь по имени Пляска Солнца выступил перед собранием. Слова Пляски Солнца записали журналисты.")
TEXT_B = ("Сотрудники Федеральной службы безопасности задержали подозреваемого. Генеральный секретарь ОДКБ "
          "Таалатбек Масадыков встретился с Сергеем Лавровым и братьями Кличко в Москве.")

PROBE = textwrap.dedent("""
    import json, sys
    from newsetl.extractors.entities.analyze import analyze
    texts = json.loads(sys.argv[1])
    print(json.dumps([repr(analyze(text)) for text in texts], ensure_ascii=False))
""")


def analysed_in_fresh_process(texts: list[str], hash_seed: str) -> list[str]:
    """``repr`` of ``analyze`` of each text, in order, in a new interpreter with that hash seed."""
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(texts)], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_same_text_same_mentions_in_one_process():
    first_a = repr(analyze(TEXT_A))
    analyze(TEXT_B)
    assert repr(analyze(TEXT_A)) == first_a


def test_same_text_same_mentions_across_processes_orders_and_hash_seeds():
    here_a, here_b = repr(analyze(TEXT_A)), repr(analyze(TEXT_B))
    a_b_a = analysed_in_fresh_process([TEXT_A, TEXT_B, TEXT_A], "1")
    b_a = analysed_in_fresh_process([TEXT_B, TEXT_A], "6")
    a_only = analysed_in_fresh_process([TEXT_A], "11")
    assert a_b_a == [here_a, here_b, here_a]
    assert b_a == [here_b, here_a]
    assert a_only == [here_a]
