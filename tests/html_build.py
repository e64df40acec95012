"""Build saved government web pages around a notice's lines (for the HTML reader's tests
and ``tests/render_samples.py``)."""
from __future__ import annotations

import html


def _paragraphs(lines: list[str]) -> str:
    return "".join(f'<p style="text-indent:2em">&nbsp;&nbsp;{html.escape(line)}</p>\n' for line in lines)


def _br_lines(lines: list[str]) -> str:
    return "<br>\n".join("　　" + html.escape(line) for line in lines)


def government_page(lines: list[str], title: str | None, container: str, charset: str = "utf-8") -> str:
    """A saved page of a government site around ``lines``: header, nav, search form, sidebar
    and breadcrumb in a layout table, the article (title heading, info bar, content, share
    bar, previous/next links), a footer table, scripts and styles."""
    if container == "trs":
        content = f'<div class="TRS_Editor"><div class="Custom_UnionStyle">{_paragraphs(lines)}</div></div>'
    elif container == "zoom":
        content = f'<div id="zoom">{_paragraphs(lines)}</div>'
    else:  # no known container: found by text density, lines separated by <br>
        content = f'<div class="wz"><div>{_br_lines(lines)}</div></div>'
    heading = f'<h1 class="article-title">{html.escape(title)}</h1>' if title else ""
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title or "通知")}_上海市总工会</title>
<script>alert(1)</script><style>p {{ color:red }}</style></head>
<body>
<div class="header"><div class="logo">上海市总工会门户网站</div>
<form action="/search"><input name="q" value="请输入关键词"><button>搜索</button></form></div>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="#">工会动态栏目</a></li><li><a href="#">法规文件栏目</a></li></ul></div>
<table width="100%" border="0"><tr>
<td class="left" width="200"><div class="sidebar"><a href="#">信息公开目录</a><br><a href="#">机构职能</a></div></td>
<td><div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="#">法规文件栏目</a> &gt; 通知公告</div>
<div class="article">{heading}
<div class="info">发布时间：2021-09-30　来源：区总工会</div>
{content}
<div class="bdsharebuttonbox">分享到：<a>微信</a> <a>微博</a></div>
<div class="pagelink"><a>上一篇：关于开展职工疗休养的通知</a></div>
</div></td></tr></table>
<div class="footer"><table><tr><td>主办单位</td><td>上海市总工会</td></tr>
<tr><td>版权所有</td><td>沪ICP备12345号</td></tr></table><a class="gotop" href="#">返回顶部</a></div>
<script type="text/javascript">document.write("统计代码");</script>
</body></html>"""
