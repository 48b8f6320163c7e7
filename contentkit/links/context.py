"""Evidence from the words around the anchor and from the rest of the post."""

from __future__ import annotations

import re

from contentkit.links.anchors import _Link
from contentkit.links.evidence import Evidence, _is_latin_word_char

_LATIN_AFTER = re.compile(r"(?:\s?的)?\s?[A-Za-z]{2,}")
_WORD_TAIL = re.compile(r"[^\W_]*$")
_WORD_HEAD = re.compile(r"[^\W_]*")
_SENTENCE_END = set("。！？!?；;\n")
_ENUM_SEP = set("、")
_OPEN_QUOTES = set("“「『《〈\"'‘（(【[")
_CLOSE_QUOTES = set("”」』》〉\"'’）)】]")
# Words that typically follow a company, product or organisation name. General company
# vocabulary (the examples and their kin), not words that happen to be in a corpus.
_FOLLOWERS = (
    "公司",
    "集团",
    "创始人",
    "联合创始人",
    "董事长",
    "总裁",
    "首席",
    "高管",
    "CEO",
    "CTO",
    "COO",
    "CFO",
    "App",
    "APP",
    "app",
    "旗下",
    "官方",
    "官网",
    "官微",
    "股价",
    "股份",
    "市值",
    "财报",
    "上市",
    "平台",
    "公众号",
    "小程序",
    "研究院",
    "控股",
    "品牌",
    "门店",
    "员工",
    "发布",
    "推出",
    "宣布",
    "表示",
    "显示",
    "报道",
    "等",
)
_LEADERS = (
    *("据", "根据", "来自", "如", "像", "比如", "例如"),
    *("包括", "除了", "联合", "收购", "投资"),
    # A category noun in apposition names what follows (美妆品牌完美日记, 游戏公司完美世界,
    # 电商平台得物): general company vocabulary, like the followers.
    *("公司", "品牌", "平台", "企业", "集团", "厂商", "机构", "电商", "巨头", "独角兽"),
    *("应用", "软件", "App", "APP", "app", "网站", "媒体"),
)
# A stock code in (full-width) parentheses: 比亚迪(002594.SZ).
_STOCK_CODE = re.compile(
    r"\s*(?:\(|\uff08)\s*(?:[0-9]{4,6}|[A-Z]{1,5})(?:\.[A-Z]{1,3})?\s*(?:\)|\uff09)"
)
# The middle dots that join the parts of a transliterated name (and their look-alikes).
_INTERPUNCTS = frozenset("·•‧・")
_NUMERAL = set("0123456789０１２３４５６７８９一二三四五六七八九十百千万亿两几多第这那每某另半")

# First characters of the followers, last characters of the leaders: most anchors are
# followed and preceded by neither, and one set lookup says so.
_FOLLOWER_FIRST = frozenset(w[0] for w in _FOLLOWERS)
_LEADER_LAST = frozenset(w[-1] for w in _LEADERS)
# What _LATIN_AFTER can match first: a space, 的, or a Latin letter.
_LATIN_AFTER_FIRST = frozenset("的ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _context_evidence(
    plain: str, link: _Link, left: str, right: str, links: list[_Link], ev: Evidence
) -> None:
    f = ev.features
    anchor = link.text
    prev_ch = left[-1:]
    next_ch = right[:1]
    left_trimmed = left.rstrip()
    right_trimmed = right.lstrip()
    prev_visible = left_trimmed[-1:]
    f["enumeration"] = 1.0 if (prev_ch in _ENUM_SEP or next_ch in _ENUM_SEP) else 0.0
    follower = right_trimmed[:1] in _FOLLOWER_FIRST and right_trimmed.startswith(_FOLLOWERS)
    f["follower"] = 1.0 if follower else 0.0
    leader = prev_visible in _LEADER_LAST and left_trimmed.endswith(_LEADERS)
    f["leader"] = 1.0 if leader else 0.0
    # (No parenthesis in the window, no stock code: the regex need not run.)
    stock = ("(" in right or "\uff08" in right) and _STOCK_CODE.match(right) is not None
    f["stock_code"] = 1.0 if stock else 0.0
    # 在微博上, 在小红书上: a platform is a place where things happen.
    on = prev_visible == "在" and right_trimmed.startswith("上")
    f["on_platform"] = 1.0 if on else 0.0
    # A transliterated personal name (布鲁玛·紫格尼克) is joined by an interpunct.
    dot = not (_INTERPUNCTS.isdisjoint(right[:3]) and _INTERPUNCTS.isdisjoint(left[-3:]))
    f["interpunct_name"] = 1.0 if dot else 0.0
    # Products of a company follow its name in Latin script (微软 Azure, 阿里云MVP).
    latin_after = (next_ch in _LATIN_AFTER_FIRST or next_ch.isspace()) and (
        _LATIN_AFTER.match(right) is not None
    )
    f["latin_follows"] = 1.0 if latin_after else 0.0
    # (left.strip() is empty exactly when left.rstrip() is.)
    f["sentence_start"] = 1.0 if (not left_trimmed or prev_visible in _SENTENCE_END) else 0.0
    f["after_numeral"] = 1.0 if prev_visible and prev_visible in _NUMERAL else 0.0
    f["quoted"] = 1.0 if (prev_ch in _OPEN_QUOTES and next_ch in _CLOSE_QUOTES) else 0.0
    f["len1_2"] = 1.0 if len(anchor) <= 2 else 0.0
    f["len4_plus"] = 1.0 if len(anchor) >= 4 else 0.0
    # A neighbouring auto-link within two characters (lists of companies come linked).
    near = 0.0
    start, end = link.plain_start, link.plain_end
    for other in links:
        if other is not link and (
            abs(other.plain_start - end) <= 2 or abs(start - other.plain_end) <= 2
        ):
            near = 1.0
    f["near_link"] = near
    name = link.attrs.get("data-name")
    case_only = name is not None and name != anchor and name.casefold() == anchor.casefold()
    f["case_mismatch"] = 1.0 if case_only else 0.0
    # Latin script: Unicode word boundaries. A letter glued to either side is a cut.
    first_latin = _is_latin_word_char(anchor[:1])
    last_latin = _is_latin_word_char(anchor[-1:])
    f["latin"] = 1.0 if first_latin and last_latin else 0.0
    glued = (first_latin and _is_latin_word_char(prev_ch)) or (
        last_latin and _is_latin_word_char(next_ch)
    )
    ev.latin_cut = glued
    f["latin_cut"] = 1.0 if glued else 0.0
    if glued:
        m1 = _WORD_TAIL.search(left)
        m2 = _WORD_HEAD.match(right)
        ev.cut_word = (m1.group(0) if m1 else "") + anchor + (m2.group(0) if m2 else "")


def _occurrences(plain: str, text: str) -> tuple[list[int], list[int]]:
    """Where ``text`` occurs in the post: the first two places, and the first two places
    where it looks like a name (a company-name follower or an enumeration comma)."""
    anywhere: list[int] = []
    namelike: list[int] = []
    if len(text) < 2:
        return anywhere, namelike
    at = plain.find(text)
    while at >= 0 and (len(anywhere) < 2 or len(namelike) < 2):
        if len(anywhere) < 2:
            anywhere.append(at)
        after = plain[at + len(text) : at + len(text) + 4]
        before = plain[max(0, at - 1) : at]
        if after.startswith(_FOLLOWERS) or before in _ENUM_SEP or after[:1] in _ENUM_SEP:
            namelike.append(at)
        at = plain.find(text, at + 1)
    return anywhere, namelike


def _elsewhere_evidence(
    plain: str, link: _Link, ev: Evidence, memo: dict[str, tuple[list[int], list[int]]]
) -> None:
    """How the same name is used elsewhere in the post, outside this anchor."""
    if link.text not in memo:  # once per name and post: a long post repeats names
        memo[link.text] = _occurrences(plain, link.text)
    anywhere, namelike = memo[link.text]
    own = link.plain_start
    f = ev.features
    # At most two places each: comparing the lists is cheaper than a generator.
    f["elsewhere_any"] = 1.0 if anywhere and anywhere != [own] * len(anywhere) else 0.0
    f["elsewhere_namelike"] = 1.0 if namelike and namelike != [own] * len(namelike) else 0.0
