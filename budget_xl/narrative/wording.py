"""Rendering the wording template (templates/narrative/<set>.md.j2) with the computed context.

The template decides every sentence; the filters here only print numbers the official way:
万元 with two decimals rounded half-up, percentages to the set's decimals, 增加/减少 and
增长/下降 by sign, 持平 when equal.
"""
from __future__ import annotations

import os
from decimal import Decimal

from ..errors import TemplateError
from ..money import round_half_up
from ..templates.files import cache_dir
from .context import Context, Figure
from .document import Block, parse_blocks

PLACEHOLDER_REASON = "【请填写主要原因】"


def wan(value: Decimal) -> str:
    """'7251.15' (万元, two decimals, half-up)."""
    return f"{round_half_up(value):.2f}"


def amount(fig: Figure | Decimal | None, suffix: str = "") -> str:
    """A figure's amount; a highlighted placeholder when its table or fact is missing."""
    value = fig.value if isinstance(fig, Figure) else fig
    if value is None:
        return f"【待填：{fig.name if isinstance(fig, Figure) else '金额'}】"
    return wan(value) + suffix


def percent(value: Decimal | None, decimals: int) -> str:
    if value is None:
        return "【待填】"
    q = Decimal(1).scaleb(-decimals)
    return f"{round_half_up(value, q):.{decimals}f}%"


def change(fig: Figure, decimals: int) -> str:
    """'增加485.83万元，增长28.52%'; '持平'; '增加16.50万元' when 上年 was 0; '' without a prior year."""
    delta = fig.delta
    if delta is None:
        return ""
    shown = round_half_up(delta)
    if not shown:
        return "持平"
    words = ("增加", "增长") if shown > 0 else ("减少", "下降")
    text = f"{words[0]}{wan(abs(delta))}万元"
    if fig.rate is not None:
        text += f"，{words[1]}{percent(abs(fig.rate), decimals)}"
    return text


def versus_budget(fig: Figure) -> str:
    """决算数 against 年初预算 as the narrative says it (compared at the cent, as printed)."""
    shown, planned = round_half_up(fig.value or Decimal(0)), round_half_up(fig.budget or Decimal(0))
    return "大于" if shown > planned else "小于" if shown < planned else "等于"


def compared(fig: Figure, ctx: Context) -> str:
    """'，比2023年预算增加…万元，增长…%' / '，与2023年预算持平'; '' without a prior value."""
    text = change(fig, ctx.spec.percent_decimals)
    if not text:
        return ""
    # 上年 values from the same workbook (a 三公 table's 上年 column) compare with the year before.
    prior_year = ctx.prior_year or (ctx.year - 1 if ctx.year else None)
    when = f"{prior_year}年{ctx.spec.compare_word}" if prior_year else f"上年{ctx.spec.compare_word}"
    return f"，与{when}持平" if text == "持平" else f"，比{when}{text}"


def render_text(ctx: Context) -> str:
    import jinja2

    spec = ctx.spec
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(spec.wording.parent)), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False,
                             bytecode_cache=_bytecode_cache())
    env.filters.update({
        "万元": lambda f: amount(f, "万元"),
        "额": amount,
        "变化": lambda f: change(f, spec.percent_decimals),
        "比上年": lambda f: compared(f, ctx),
        "占比": lambda f: percent(f.share, spec.percent_decimals),
        "完成率": lambda f: percent(f.completion, spec.percent_decimals),
        "增减率": lambda f: percent(abs(f.rate) if f.rate is not None else None, spec.percent_decimals),
        "顿号": lambda names: "、".join(names),
        "大小": versus_budget,
    })
    env.globals.update({"待填": lambda what: f"【待填：{what}】", "主要原因": PLACEHOLDER_REASON})
    try:
        template = env.get_template(spec.wording.name)
        return template.render(
            部门=ctx.department, 年度=ctx.year or "【年度】", 上年=ctx.prior_year, 有上年=ctx.has_prior,
            有预算=ctx.has_budget, 比较=spec.compare_word, f=ctx.figures, 列表=ctx.lists, 事实=_Facts(ctx.facts),
            项目数=ctx.project_counts, 单位=ctx.units)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"情况说明措辞模板 {spec.wording.name} 第 {exc.lineno} 行有语法错误：{exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"情况说明措辞模板 {spec.wording.name} 用到了未定义的名字：{exc.message}") from None


def _bytecode_cache():
    """The wording compiled once, kept in the user's cache (jinja checks each against its source's
    checksum); a cache that cannot be written is simply not used."""
    import jinja2

    class Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except OSError:
                pass

        def dump_bytecode(self, bucket) -> None:
            try:
                os.makedirs(self.directory, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return Cache(str(cache_dir() / "wording"))


def render_blocks(ctx: Context) -> list[Block]:
    return parse_blocks(render_text(ctx))


class _Facts(dict):
    """Facts from the 补充信息 sheet; a missing one prints as a highlighted placeholder."""

    def __missing__(self, key: str) -> str:
        return f"【待填：{key}】"

    def __getattr__(self, key: str) -> str:
        return self[key]

    def has(self, key: str) -> bool:
        return bool(dict.get(self, key))

    def 或零(self, key: str, spent: Figure) -> str:
        """A count that follows from an amount: as stated where stated; 0 where nothing is spent
        (no 因公出国 money, no 团组 at fiscal cost — as seed 002 writes); else to fill in."""
        if self.has(key):
            return self[key]
        return "0" if spent.value is not None and not round_half_up(spent.value) else self[key]
