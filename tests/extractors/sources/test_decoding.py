"""decode_bytes: UTF-8 (± BOM), cp1251 and koi8-r Russian of every length, binary and empty input."""
import pytest

from newsetl.extractors.sources.decoding import Decoded, DecodeError, decode_bytes, russian_score

RUSSIAN_SENTENCES = [
    "Привет, мир!",
    "В Москве",
    "Путин",
    "ТАСС",
    "Да",
    "щи",
    "ГЛАВА ГОСУДАРСТВА ПРИНЯЛ УЧАСТИЕ В САММИТЕ ОДКБ",
    "съешь же ещё этих мягких французских булок, да выпей чаю",
    "Генеральный секретарь ОДКБ Таалатбек Масадыков ответил на вопросы редакции.",
    "Глава государства Казахстана Касым-Жомарт Токаев принял участие в расширенном заседании "
    "Совета коллективной безопасности Организации Договора о коллективной безопасности (ОДКБ) "
    "с участием официальных делегаций стран-участниц, сообщает Lada.kz со ссылкой на пресс-службу Акорды.",
    'Цена: 500 руб. - "дёшево", 7 шт.\nВторая строка; третья\tчерез табуляцию.',
]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1251", "koi8-r", "cp866"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("sentence", RUSSIAN_SENTENCES, ids=lambda s: s[:20])
def test_russian_text_is_decoded_with_its_encoding(sentence, encoding):
    decoded = decode_bytes(sentence.encode(encoding))
    assert decoded.text == sentence
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    "raw, expected_text",
    [
        (b"plain ASCII news", "plain ASCII news"),
        ("Привет".encode("utf-16"), "Привет"),
        ("Глава Минфина заявил: «Бюджет исполнен».\n".encode("utf-16-be").join([b"\xfe\xff", b""]), "Глава Минфина заявил: «Бюджет исполнен».\n"),
    ],
    ids=["ascii", "utf-16-bom", "utf-16-be-bom"],
)
def test_other_unicode_inputs(raw, expected_text):
    assert decode_bytes(raw).text == expected_text


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x06\x00",
        "Текст с NUL\x00 внутри".encode("utf-8"),
        bytes(range(1, 32)) * 10 + "немного текста".encode("cp1251"),
        b"\xff\xfe\x00\x01binary",
    ],
    ids=["png", "pdf", "zip", "nul-byte", "control-bytes", "utf-16-mark-on-binary"],
)
def test_binary_input_is_refused(raw):
    with pytest.raises(DecodeError) as error:
        decode_bytes(raw)
    assert error.value.reason_code == "binary"
    assert "binary" in str(error.value)


@pytest.mark.parametrize(
    "raw",
    [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", "\ufeff \n".encode("utf-8")],
    ids=["no-bytes", "whitespace", "bom-only", "bom-and-whitespace"],
)
def test_empty_input_is_refused(raw):
    with pytest.raises(DecodeError) as error:
        decode_bytes(raw)
    assert error.value.reason_code == "empty"
    assert "empty" in error.value.message or "whitespace" in error.value.message


def test_cp1251_typography_is_read_as_cp1251():
    sentence = "Цена — «дёшево», № 7… Ёлка за 5 €."
    assert decode_bytes(sentence.encode("cp1251")) == Decoded(sentence, "cp1251")


def test_text_with_a_few_control_characters_is_still_text():
    raw = ("Заголовок\x07\n" + "Обычный текст новости. " * 20).encode("cp1251")
    assert decode_bytes(raw).encoding == "cp1251"


@pytest.mark.parametrize("sentence", RUSSIAN_SENTENCES[6:], ids=lambda s: s[:20])
def test_right_codepage_scores_higher_than_the_wrong_one(sentence):
    cp1251 = sentence.encode("cp1251")
    assert russian_score(cp1251.decode("cp1251")) > russian_score(cp1251.decode("koi8-r"))
    koi8 = sentence.encode("koi8-r")
    assert russian_score(koi8.decode("koi8-r")) > russian_score(koi8.decode("cp1251"))


LONG_NEWS = "Глава государства принял участие в расширенном заседании Совета коллективной безопасности. " * 5


def with_stray_bytes(text: str, stray: bytes, at: int) -> bytes:
    """``text`` in UTF-8 with ``stray`` bytes inserted before character ``at``."""
    return text[:at].encode("utf-8") + stray + text[at:].encode("utf-8")


@pytest.mark.parametrize(
    "raw, text, encoding",
    [
        (with_stray_bytes(LONG_NEWS, b"\xff", 10), LONG_NEWS[:10] + "\ufffd" + LONG_NEWS[10:],
         "utf-8 (replaced 1 invalid byte)"),
        (with_stray_bytes(LONG_NEWS, b"\xc0\xaf\xfe", 50), LONG_NEWS[:50] + "\ufffd" * 3 + LONG_NEWS[50:],
         "utf-8 (replaced 3 invalid bytes)"),
        # Short line: 2 % of its bytes are invalid, but its Cyrillic outnumbers them by far.
        (with_stray_bytes('{"text": "Москва — столица России"}', b"\x97", 20),
         '{"text": "Москва — с\ufffdтолица России"}', "utf-8 (replaced 1 invalid byte)"),
        # A UTF-8 text with one cp1251 word pasted in: most of it is still UTF-8.
        ("Новый парк открылся в центре города, его площадь составит десять гектаров. ".encode("utf-8")
         + "Да".encode("cp1251"), "Новый парк открылся в центре города, его площадь составит десять гектаров. "
         + "\ufffd\ufffd", "utf-8 (replaced 2 invalid bytes)"),
        (LONG_NEWS.encode("cp1251"), LONG_NEWS, "cp1251"),
        (LONG_NEWS.encode("koi8-r"), LONG_NEWS, "koi8-r"),
        # Legacy text with a few UTF-8 letters pasted in stays legacy.
        ((LONG_NEWS + "Ещё").encode("cp1251") + "Да".encode("utf-8"), LONG_NEWS + "ЕщёР”Р°", "cp1251"),
    ],
    ids=["one-stray-byte", "three-stray-bytes", "short-line", "pasted-cp1251-word", "cp1251", "koi8-r",
         "cp1251-with-pasted-utf8"],
)
def test_mostly_utf8_input_is_read_as_utf8_with_replacements(raw, text, encoding):
    assert decode_bytes(raw) == Decoded(text, encoding)
