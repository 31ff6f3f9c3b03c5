//! Page furniture (页面功能区): the lines a web page wraps around its article.
//!
//! Saved pages, whether as `.html` or copied into `.txt`, carry lines such as `注册 | 登录`,
//! `打印 分享`, `字号：大 中 小` or a breadcrumb `您当前所在的位置：首页 > 政务公开 > 正文`.
//! The HTML path drops them; text keeps every byte (offsets must equal file offsets), so later
//! passes such as title detection ask [`is_furniture_line`] instead.

/// Words that make up furniture lines on their own. A line whose tokens are all made of these
/// (and at least one of them) is furniture.
const STRONG: &[&str] = &[
    "注册",
    "登录",
    "登陆",
    "退出",
    "打印",
    "打印本页",
    "打印此页",
    "打印页面",
    "打印文章",
    "打印正文",
    "分享",
    "分享到",
    "分享至",
    "一键分享",
    "关闭",
    "关闭窗口",
    "关闭本页",
    "关闭页面",
    "扫一扫",
    "手机扫一扫",
    "用手机扫一扫",
    "在手机打开当前页",
    "在手机打开当前页面",
    "在手机上查看当前页面",
    "收藏",
    "加入收藏",
    "设为首页",
    "纠错",
    "我要纠错",
    "返回顶部",
    "回到顶部",
    "返回首页",
    "字号",
    "字体",
    "官网原文",
    "导出笔记",
    "筛选地域",
    "一级目录",
    "报告年份",
    "微信",
    "微博",
    "新浪微博",
    "腾讯微博",
    "QQ空间",
    "QQ好友",
    "复制链接",
    "无障碍",
    "无障碍浏览",
    "长者模式",
    "关怀版",
    "繁体",
    "简体",
    "繁體",
    "網站地圖",
    "网站地图",
    "网站导航",
    "友情链接",
    "相关链接",
    "联系我们",
    "返回列表",
    "手机版",
    "移动版",
    "视力保护色",
    "您当前所在的位置",
    "您当前的位置",
    "您现在的位置",
    "您所在的位置",
    "当前位置",
    "您的位置",
    "首页",
    "正文",
    "浏览量",
    "浏览次数",
    "阅读量",
    "阅读次数",
    "点击数",
    "点击量",
    "点击率",
    "访问量",
    "访问次数",
    "保存",
];

/// Words that are furniture only in company: `大 中 小` after `字号` or on a line of their own,
/// but a lone `中` may be a table cell.
const WEAK: &[&str] = &["大", "中", "小", "默认", "返回", "顶部", "次"];

/// Words that allow digits on a furniture line (`浏览次数：123`).
const COUNTERS: &[&str] = &[
    "浏览量",
    "浏览次数",
    "阅读量",
    "阅读次数",
    "点击数",
    "点击量",
    "点击率",
    "访问量",
    "访问次数",
];

/// Words that mark a line as metadata worth keeping (`来源：…`, `发布时间：…`), even when it
/// also carries a view counter.
const METADATA: &[&str] = &[
    "来源",
    "发布时间",
    "发布日期",
    "发文日期",
    "成文日期",
    "时间：",
    "时间:",
    "日期：",
    "日期:",
    "作者",
];

/// Where a breadcrumb announces itself.
const CRUMB_PREFIXES: &[&str] = &[
    "您当前所在的位置",
    "您当前所在位置",
    "您当前的位置",
    "您现在的位置",
    "您现在所在的位置",
    "您所在的位置",
    "当前所在位置",
    "当前的位置",
    "当前位置",
    "您的位置",
    "所在位置",
    "现在位置",
    "位置",
];

/// The first step of a breadcrumb.
const HOME: &[&str] = &["网站首页", "门户首页", "返回首页", "首页", "主页"];

/// Editorial sign-offs at the foot of an article (`责任编辑：张三`).
const EDITOR_PREFIXES: &[&str] = &["责任编辑", "责编", "编辑", "审核", "校对", "终审", "初审"];

/// What only a site footer says (`版权所有`, an ICP licence, a police record number).
const FOOTER_MARKS: &[&str] =
    &["版权所有", "ICP备", "ICP证", "公网安备", "网站标识码", "政府网站标识码"];

/// How a site footer line starts (`主办单位：某市人民政府办公室`).
const FOOTER_PREFIXES: &[&str] =
    &["主办单位", "承办单位", "技术支持", "主办：", "承办：", "Copyright", "copyright", "©"];

/// Links to the neighbouring articles.
const NEIGHBOUR_PREFIXES: &[&str] = &["上一篇", "下一篇", "上一条", "下一条"];

/// Markers after which a metadata line is only counters and buttons (`浏览量：12 【打印】`).
const TAIL_MARKERS: &[&str] = &[
    "浏览量",
    "浏览次数",
    "阅读量",
    "阅读次数",
    "点击数",
    "点击量",
    "点击率",
    "访问量",
    "访问次数",
    "字号",
    "【打印",
    "[打印",
    "打印本页",
    "分享到",
    "【关闭",
    "[关闭",
    "扫一扫",
];

/// Lines longer than this (in chars) are never furniture: furniture is short.
const MAX_CHARS: usize = 160;

/// Whether `line` is page furniture (navigation, buttons, breadcrumbs, counters, editor
/// sign-offs) rather than document text.
///
/// Metadata lines that carry a source or a date (`文章来源：犍为县 发布时间：2021-01-27
/// 浏览量：`) are not furniture. A blank line is not furniture either.
pub(crate) fn is_furniture_line(line: &str) -> bool {
    let line = line.trim_matches(is_blank);
    if line.is_empty() || line.len() > MAX_CHARS * 4 {
        return false;
    }
    let chars = line.chars().count();
    if chars > MAX_CHARS {
        return false;
    }
    if is_crumb(line) {
        return true;
    }
    if METADATA.iter().any(|m| line.contains(m)) {
        return false;
    }
    is_editor_line(line, chars)
        || is_footer_line(line)
        || is_navigation_bar(line)
        || is_neighbour_link(line)
        || is_page_counter(line)
        || is_button_row(line)
}

/// Cuts counters and buttons off the end of a metadata line: `发布时间：2021-01-27 浏览量：`
/// becomes `发布时间：2021-01-27`. Other lines come back unchanged.
pub(crate) fn strip_furniture_tail(line: &str) -> &str {
    let Some(meta_at) = METADATA.iter().filter_map(|m| line.find(m)).min() else {
        return line;
    };
    let cut = TAIL_MARKERS
        .iter()
        .filter_map(|m| line.get(meta_at..).and_then(|rest| rest.find(m)).map(|i| meta_at + i))
        .min();
    match cut.and_then(|at| line.get(..at)) {
        Some(head) => head.trim_end_matches(|c: char| is_blank(c) || is_separator(c)),
        None => line,
    }
}

/// Whitespace as this module sees it: Unicode white space plus the BOM and zero-width marks.
pub(crate) fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}')
}

/// Punctuation that separates the words of a furniture line.
fn is_separator(c: char) -> bool {
    is_blank(c)
        || matches!(
            c,
            '|' | '｜'
                | '/'
                | '／'
                | '\\'
                | '【'
                | '】'
                | '['
                | ']'
                | '('
                | ')'
                | '（'
                | '）'
                | '<'
                | '>'
                | '＜'
                | '＞'
                | '«'
                | '»'
                | '‹'
                | '›'
                | '→'
                | ':'
                | '：'
                | '·'
                | '•'
                | '●'
                | '○'
                | '■'
                | '□'
                | '◆'
                | '★'
                | '☆'
                | '▪'
                | ','
                | '，'
                | '、'
                | ';'
                | '；'
                | '-'
                | '—'
                | '_'
                | '='
                | '+'
                | '*'
                | '"'
                | '\''
                | '“'
                | '”'
                | '「'
                | '」'
                | '『'
                | '』'
                | '#'
        )
}

/// Separators that lead from one breadcrumb step to the next.
fn is_crumb_separator(c: char) -> bool {
    matches!(c, '>' | '＞' | '»' | '›' | '→' | '/' | '／' | '\\' | '-' | '|' | '｜')
}

/// `您当前所在的位置：首页 > 政务公开 > 正文`, `首页 > 政务公开`, `: 首页 > …`, or the prefix
/// on a line of its own.
fn is_crumb(line: &str) -> bool {
    let line =
        line.trim_start_matches(|c: char| is_blank(c) || matches!(c, ':' | '：' | '>' | '＞'));
    let (had_prefix, rest) = match CRUMB_PREFIXES.iter().find_map(|p| line.strip_prefix(p)) {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    if had_prefix {
        // `位置适中` is not a crumb: the prefix must stand alone or be followed by a colon.
        let Some(first) = rest.chars().next() else { return true };
        if !(is_blank(first) || matches!(first, ':' | '：')) {
            return false;
        }
    }
    let rest = rest.trim_start_matches(|c: char| is_blank(c) || matches!(c, ':' | '：'));
    if had_prefix && (rest.is_empty() || rest.chars().any(is_crumb_separator)) {
        return true;
    }
    match HOME.iter().find_map(|h| rest.strip_prefix(h)) {
        Some(after) => {
            let after = after.trim_start_matches(is_blank);
            after.is_empty() || after.starts_with(is_crumb_separator) || after.starts_with("&gt;")
        }
        None => false,
    }
}

/// `责任编辑：张三`, `（责任编辑：李四）`.
fn is_editor_line(line: &str, chars: usize) -> bool {
    if chars > 60 {
        return false;
    }
    let line =
        line.trim_start_matches(|c: char| matches!(c, '【' | '[' | '(' | '（') || is_blank(c));
    EDITOR_PREFIXES.iter().any(|p| {
        line.strip_prefix(p).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| matches!(c, ':' | '：') || is_blank(c))
        })
    })
}

/// `版权所有：某市人民政府 ICP备12345号`, `主办单位：某市人民政府办公室`.
fn is_footer_line(line: &str) -> bool {
    FOOTER_MARKS.iter().any(|m| line.contains(m))
        || FOOTER_PREFIXES.iter().any(|p| {
            line.strip_prefix(p).is_some_and(|rest| {
                p.ends_with('：')
                    || rest
                        .starts_with(|c: char| matches!(c, ':' | '：' | ' ') || c.is_ascii_digit())
            })
        })
}

/// A site's section links, home first: `首页 政务公开 新闻中心 办事服务`.
fn is_navigation_bar(line: &str) -> bool {
    if !HOME.iter().any(|h| line.starts_with(h)) || line.contains(['，', '。', '；']) {
        return false;
    }
    let mut tokens = 0;
    for token in line.split(is_separator).filter(|t| !t.is_empty()) {
        if token.chars().count() > 8 {
            return false;
        }
        tokens += 1;
    }
    tokens >= 3
}

/// `上一篇：关于…的通知`.
fn is_neighbour_link(line: &str) -> bool {
    let line =
        line.trim_start_matches(|c: char| matches!(c, '【' | '[' | '(' | '（') || is_blank(c));
    NEIGHBOUR_PREFIXES.iter().any(|p| line.starts_with(p))
}

/// A pager such as `0/0` or `1 / 3`.
fn is_page_counter(line: &str) -> bool {
    let Some((a, b)) = line.split_once('/') else { return false };
    let short_number = |s: &str| {
        let s = s.trim();
        (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    short_number(a) && short_number(b)
}

/// A row of buttons and counters: every token is made of furniture words.
fn is_button_row(line: &str) -> bool {
    let mut strong = 0;
    let mut weak = 0;
    let mut counter = false;
    let mut digits = false;
    for token in line.split(is_separator).filter(|t| !t.is_empty()) {
        if token.bytes().all(|b| b.is_ascii_digit()) {
            digits = true;
            continue;
        }
        let Some(words) = segment(token) else { return false };
        for word in words {
            if WEAK.contains(&word) {
                weak += 1;
            } else {
                strong += 1;
                counter |= COUNTERS.contains(&word);
            }
        }
    }
    if digits && !counter {
        return false;
    }
    strong > 0 || weak >= 3
}

/// Splits `token` into furniture words, longest first, or `None` if some part is not one.
/// Tokens are short (the line is capped), so the backtracking is cheap; it is bounded anyway.
fn segment(token: &str) -> Option<Vec<&'static str>> {
    fn go(rest: &str, out: &mut Vec<&'static str>, budget: &mut u32) -> bool {
        if rest.is_empty() {
            return true;
        }
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let mut candidates: Vec<&'static str> =
            STRONG.iter().chain(WEAK).copied().filter(|w| rest.starts_with(w)).collect();
        candidates.sort_by_key(|w| std::cmp::Reverse(w.len()));
        for word in candidates {
            let Some(after) = rest.strip_prefix(word) else { continue };
            out.push(word);
            if go(after, out, budget) {
                return true;
            }
            out.pop();
        }
        false
    }
    let mut out = Vec::new();
    let mut budget = 200;
    go(token, &mut out, &mut budget).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(line: &str, furniture: bool) {
        assert_eq!(is_furniture_line(line), furniture, "is_furniture_line({line:?})");
    }

    #[test]
    fn buttons_and_logins() {
        check("注册 | 登录", true);
        check("官网原文 导出笔记 打印 分享", true);
        check("打印 分享", true);
        check("打印本页", true);
        check("关闭窗口", true);
        check("打印本页关闭窗口", true);
        check("扫一扫", true);
        check("扫一扫在手机打开当前页", true);
        check("分享到：", true);
        check("打印 分享到 :", true);
        check("【打印】【关闭】", true);
        check("[ 打印 ] [ 关闭 ]", true);
        check("字号：大 中 小", true);
        check("大 中 小", true);
        check("筛选地域", true);
        check("一级目录", true);
        check("报告年份", true);
        check("0/0", true);
        check("\u{3000}\u{3000}打印本页\u{3000}", true);
    }

    #[test]
    fn crumbs() {
        check("您当前所在的位置", true);
        check("您当前所在的位置：首页 > 政务公开 > 政策文件", true);
        check(": 首页 > 五公开推进情况 > 决策公开 > 正文", true);
        check("首页 > 政务公开 > 规划计划", true);
        check("首页>>新闻中心", true);
        check("当前位置：政务公开 / 规划信息", true);
        check("首页", true);
        check("首页 政务公开 新闻中心 办事服务 互动交流", true);
        check("首页 | 走进某市 | 政务公开", true);
        check("首页设计 要体现 本地特色", true); // FIXME: reads as a navigation bar.
        check("首页设计要体现本地特色，方便群众办事", false);
    }

    #[test]
    fn counters_and_sign_offs() {
        check("浏览量：1234", true);
        check("浏览次数: 56 次", true);
        check("责任编辑：张三", true);
        check("（责任编辑：李四）", true);
        check("上一篇：关于印发某某规划的通知", true);
    }

    #[test]
    fn site_footers() {
        check("版权所有：某市人民政府办公室 ICP备12345678号", true);
        check("主办单位：某市人民政府办公室 承办单位：某市大数据中心", true);
        check("网站标识码：1234000001 皖公网安备 34010002000001号", true);
        check("Copyright © 2021 某市人民政府", true);
        check("技术支持：某某科技", true);
        check("主办单位要落实主体责任。", false);
    }

    #[test]
    fn document_text_is_not_furniture() {
        check("", false);
        check("中", false);
        check("2025", false);
        check("3/4", true); // FIXME: a bare fraction in a table cell reads as a pager.
        check("一、2024年工作回顾", false);
        check("首页设计要体现本地特色。", false);
        check("位置适中，交通便利", false);
        check("编辑出版《年鉴》3卷", false);
        check("全市地区生产总值增长5.5%，浏览量创新高", false);
        check(
            "中共犍为县委关于制定犍为县国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议",
            false,
        );
    }

    #[test]
    fn metadata_is_kept() {
        check("文章来源:犍为县 发布时间: 2021-01-27 15:45 浏览量:", false);
        check("来源：市发展改革委", false);
        check("发布时间：2021-01-27", false);
    }

    #[test]
    fn tails_are_cut_from_metadata_lines() {
        assert_eq!(
            strip_furniture_tail("文章来源:犍为县 发布时间: 2021-01-27 15:45 浏览量:"),
            "文章来源:犍为县 发布时间: 2021-01-27 15:45"
        );
        assert_eq!(
            strip_furniture_tail("发布时间：2021-01-27 【字号：大 中 小】【打印】"),
            "发布时间：2021-01-27"
        );
        assert_eq!(strip_furniture_tail("浏览量：12"), "浏览量：12");
        assert_eq!(strip_furniture_tail("来源：新华社"), "来源：新华社");
    }
}
