"""Prose of pre-2019-style reports with exact ground truth: every quantity written is a ``Stated`` value.

``write`` turns facts (pre-2019 table codes → values, see ``bench.corpus.pre2019``) into six sections in the
phrasings of tests/fixtures/prose_corpus: sums with their parts ("共…N条，其中…a条、b条"), categories,
qualifiers (约 → approx, 余 → at_least), stated-none sentences (未发生…, 未收取…), Chinese numerals and
thousands separators. ``sums=True`` (narrative reports) makes the channel parts add up to the whole and
writes them as a sum; a pre-2019 table report restates its table values one by one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.corpus.pre2019 import Facts, number_text

CATEGORIES = ("机构职能类", "政策法规类", "规划计划类", "财政资金类", "工作动态类", "人事信息类", "民生服务类")
ANSWERS = {
    "pre_answer_granted": "同意公开{n}件",
    "pre_answer_already_public": "属于已主动公开范围{n}件",
    "pre_answer_not_this_agency": "不属于本机关公开范围{n}件",
    "pre_answer_not_exist": "申请信息不存在{n}件",
}
REQUEST_CHANNELS = {
    "pre_requests_in_person": "当面申请{n}件",
    "pre_requests_online": "网络申请{n}件",
    "pre_requests_letter": "信函申请{n}件",
    "pre_requests_fax": "传真申请{n}件",
}
DIGITS = "零一二三四五六七八九"
#: Every code the prose may state (a table cell printed as an empty marker must not be one of them).
PROSE_CODES = frozenset(
    [
        *ANSWERS, *REQUEST_CHANNELS, "pre_requests_received", "pre_requests_completed", "pre_requests_answered",
        "pre_staff_full_time", "pre_staff_part_time", "pre_meetings", "pre_trainings", "pre_trainees", "pre_fees",
        "pre_proactive_items", "pre_channel_website", "pre_channel_weibo", "pre_channel_wechat", "pre_channel_other",
        "pre_response_hotspots", "pre_reconsiderations", "pre_lawsuits",
    ]
)  # fmt: skip
HEADINGS = (
    "一、概述",
    "二、主动公开政府信息情况",
    "三、依申请公开政府信息情况",
    "四、政府信息公开的收费及减免情况",
    "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "六、存在的主要问题及改进措施",
)
PROBLEMS = (
    "{y}年，{s}政府信息公开工作虽然取得了一定成效，但仍存在公开内容不够丰富、更新不够及时等问题。"
    "下一步，{s}将进一步规范公开流程，加强信息公开队伍建设，提高工作人员业务水平。",
    "一是信息公开的及时性还需加强，部分工作动态发布滞后；二是政策解读的形式较为单一。"
    "{s}将按照《{y1}年政务公开工作要点》要求，建立健全信息报送和审核机制。",
)


@dataclass(frozen=True)
class Stated:
    code: str
    breakdown: str
    value: int | float
    qualifier: str  # exact | approx | at_least | stated_none


@dataclass
class Prose:
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    stated: list[Stated] = field(default_factory=list)
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)  # parent code/bd, child code/bd


@dataclass(frozen=True)
class Style:
    thousands: bool = False
    chinese_small: bool = False  # counts up to 10 of staff, meetings and trainings in Chinese numerals


def chinese(n: int) -> str:
    if n == 2:
        return "两"
    if n < 10:
        return DIGITS[n]
    return "十" + (DIGITS[n - 10] if n > 10 else "") if n < 20 else DIGITS[n // 10] + "十" + DIGITS[n % 10].strip("零")


class _Writer:
    def __init__(self, style: Style) -> None:
        self.style = style
        self.out = Prose()

    def num(self, code: str, value: int | float, bd: str = "", qualifier: str = "exact", small: bool = False) -> str:
        self.out.stated.append(Stated(code, bd, value, qualifier))
        if small and self.style.chinese_small and isinstance(value, int) and 0 < value <= 10:
            return chinese(value)
        if self.style.thousands and isinstance(value, int) and value >= 1000:
            return f"{value:,}"
        return number_text(value)

    def none(self, *codes: str) -> None:
        self.out.stated.extend(Stated(c, "", 0, "stated_none") for c in codes)

    def relate(self, parent: str, children: list[tuple[str, str]], parent_bd: str = "") -> None:
        self.out.relations.extend((parent, parent_bd, c, b) for c, b in children)


def _overview(w: _Writer, f: Facts, rng: random.Random, s: str, office: str, y: int) -> list[str]:
    full, part = int(f["pre_staff_full_time"]), int(f["pre_staff_part_time"])
    text = f"{y}年，{s}以《条例》为依据，进一步健全工作机制，完善公开目录，推动政府信息公开工作规范化、常态化。"
    if full:
        text += f"{office}明确{w.num('pre_staff_full_time', full, small=True)}名专职人员和"
        text += f"{w.num('pre_staff_part_time', part, small=True)}名兼职人员负责日常工作。"
    m, t, n = int(f["pre_meetings"]), int(f["pre_trainings"]), int(f["pre_trainees"])
    if m and t and n:
        q = rng.choice(("exact", "exact", "approx", "at_least")) if n >= 20 else "exact"
        shown = n if q == "exact" else n - n % 10
        pre, post = {"exact": ("", ""), "approx": ("约", ""), "at_least": ("", "余")}[q]
        text += f"全年召开政务公开工作专题会议{w.num('pre_meetings', m, small=True)}次，"
        text += f"组织业务培训{w.num('pre_trainings', t, small=True)}次，"
        text += f"参训人员{pre}{w.num('pre_trainees', shown, qualifier=q)}{post}人次。"
    return [text]


def _proactive(w: _Writer, f: Facts, rng: random.Random, s: str, y: int, sums: bool, plant: int) -> list[str]:
    site = rng.choice(("政府门户网站", "政府信息公开网", "政务公开网站"))
    web = int(f["pre_channel_website"])
    paras: list[str] = []
    if sums:
        parts = [("pre_channel_website", f"通过{site}公开{{n}}条"), ("pre_channel_weibo", "通过政务微博发布{n}条")]
        parts += [
            ("pre_channel_wechat", "通过微信公众号推送{n}条"),
            ("pre_channel_other", "通过公开栏等其他方式公开{n}条"),
        ]
        chosen = [(c, t) for c, t in parts if f[c]]
        if len(chosen) >= 2:
            total = sum(int(f[c]) for c, _ in chosen) + plant
            body = "，".join(t.format(n=w.num(c, int(f[c]))) for c, t in chosen)
            paras.append(f"{y}年，{s}共主动公开政府信息{w.num('pre_proactive_items', total)}条，其中{body}。")
            w.relate("pre_proactive_items", [(c, "") for c, _ in chosen])
        else:
            paras.append(
                f"{y}年，{s}共主动公开政府信息{w.num('pre_proactive_items', int(f['pre_proactive_items']))}条。"
            )
    else:
        p = int(f["pre_proactive_items"]) + plant
        paras.append(f"{y}年，{s}主动公开政府信息{w.num('pre_proactive_items', p)}条。")
        if web:
            paras.append(f"全年通过{site}公开政府信息{w.num('pre_channel_website', web)}条。")
    if sums and web >= 12 and rng.random() < 0.6:
        cats = [*rng.sample(CATEGORIES, rng.randint(2, 5)), "其他"]
        counts = [1] * len(cats)
        for i in rng.choices(range(len(cats)), k=web - len(cats)):
            counts[i] += 1
        body = "，".join(
            f"{c}{w.num('prose_proactive_by_category', n, c)}条" for c, n in zip(cats, counts, strict=True)
        )
        paras.append(f"在{site}公开的{web}条信息中，按信息类别分：{body}。")
        w.relate("pre_channel_website", [("prose_proactive_by_category", c) for c in cats])
    h = int(f["pre_response_hotspots"])
    if h:
        paras.append(f"全年回应群众关切问题{w.num('pre_response_hotspots', h)}件。")
    return paras


def _requests(w: _Writer, f: Facts, s: str, y: int) -> list[str]:
    r = int(f["pre_requests_received"])
    if not r:
        w.none("pre_requests_received")
        return [f"{y}年，{s}未收到政府信息公开申请。"]
    chans = [(c, t) for c, t in REQUEST_CHANNELS.items() if f[c]]
    text = f"{y}年，{s}共收到政府信息公开申请{w.num('pre_requests_received', r)}件"
    if len(chans) >= 2 and sum(int(f[c]) for c, _ in chans) == r:
        text += "，其中" + "、".join(t.format(n=w.num(c, int(f[c]))) for c, t in chans)
        w.relate("pre_requests_received", [(c, "") for c, _ in chans])
    text += f"，已办结{w.num('pre_requests_completed', int(f['pre_requests_completed']))}件。"
    answers = [(c, t) for c, t in ANSWERS.items() if f[c]]
    if len(answers) >= 2 and sum(int(f[c]) for c, _ in answers) == int(f["pre_requests_answered"]):
        text += f"共答复{w.num('pre_requests_answered', int(f['pre_requests_answered']))}件，其中"
        text += "，".join(t.format(n=w.num(c, int(f[c]))) for c, t in answers) + "。"
        w.relate("pre_requests_answered", [(c, "") for c, _ in answers])
    return [text]


def _fees(w: _Writer, f: Facts, s: str) -> list[str]:
    if f["pre_fees"]:
        return [f"{s}严格按照规定收取政府信息公开检索、复制、邮寄等成本费用。"]
    w.none("pre_fees")
    return [f"{s}依申请公开政府信息未收取任何费用。"]


def _appeals(w: _Writer, f: Facts, s: str, y: int) -> list[str]:
    rc, ls = int(f["pre_reconsiderations"]), int(f["pre_lawsuits"])
    if not rc and not ls:
        w.none("pre_reconsiderations", "pre_lawsuits")
        return [f"{y}年，{s}未发生因政府信息公开申请行政复议和提起行政诉讼的情况。"]
    parts = []
    if rc:
        parts.append(f"因政府信息公开申请提起行政复议{w.num('pre_reconsiderations', rc)}件")
    else:
        w.none("pre_reconsiderations")
        parts.append("未发生因政府信息公开申请行政复议的情况")
    if ls:
        parts.append(f"因政府信息公开被提起行政诉讼{w.num('pre_lawsuits', ls)}件")
    else:
        w.none("pre_lawsuits")
        parts.append("本年度未发生因政府信息公开提起行政诉讼的情况")
    return ["；".join(parts) + "。"]


def write(
    f: Facts, rng: random.Random, self_ref: str, office: str, year: int, style: Style, sums: bool, plant: int = 0
) -> Prose:
    """Six sections stating (a subset of) ``f``; ``sums``: channel parts add up to the whole. ``plant`` is
    added to the stated 主动公开 total: a prose sum that does not add up (``sums``) or a restated table
    value that disagrees with the table."""
    w = _Writer(style)
    bodies = (
        _overview(w, f, rng, self_ref, office, year),
        _proactive(w, f, rng, self_ref, year, sums, plant),
        _requests(w, f, self_ref, year),
        _fees(w, f, self_ref),
        _appeals(w, f, self_ref, year),
        [rng.choice(PROBLEMS).format(y=year, s=self_ref, y1=year + 1)],
    )
    w.out.sections = list(zip(HEADINGS, bodies, strict=True))
    return w.out


def narrative_facts(f: Facts, rng: random.Random) -> Facts:
    """Facts for a narrative report: at least two channels, so its 主动公开 total is written as their sum."""
    out = dict(f)
    for c in ("pre_channel_gazette", "pre_channel_weibo", "pre_channel_wechat"):
        if rng.random() < 0.3:
            out[c] = 0
    out["pre_channel_website"] = max(1, int(out["pre_channel_website"]))
    if not (out["pre_channel_weibo"] or out["pre_channel_wechat"]):
        out["pre_channel_weibo"] = rng.randint(1, 40)
    out["pre_channel_other"] = rng.randint(0, int(out["pre_proactive_items"]) // 2) if rng.random() < 0.5 else 0
    out["pre_fees"] = 0
    return out
