using System.Text;
using System.Text.RegularExpressions;

namespace Klaviyo.Codegen;

/// <summary>Turns the spec's markdown/HTML descriptions into XML doc text.</summary>
public static partial class DocText
{
    [GeneratedRegex(@"\n\s*\n|<br\s*/?>\s*<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"!?\[([^\]]*)\]\(([^)\s]*)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"</?[A-Za-z][^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    /// <summary>The first non-empty paragraph of a description (paragraphs end at a blank line or <c>&lt;br&gt;&lt;br&gt;</c>).</summary>
    public static string FirstParagraph(string description)
    {
        var text = description.Replace("\r\n", "\n");
        foreach (var p in ParagraphBreak().Split(text))
            if (!string.IsNullOrWhiteSpace(p))
                return p.Trim();
        return "";
    }

    /// <summary>
    /// Markdown/HTML to XML doc text: links keep their text, code spans become <c>&lt;c&gt;</c>, other markup is
    /// dropped, whitespace collapses, and everything else is XML-escaped.
    /// </summary>
    public static string Clean(string markdown)
    {
        var text = LineBreak().Replace(markdown.Replace("\r\n", "\n"), " ");
        text = Link().Replace(text, m => m.Groups[1].Value);
        var sb = new StringBuilder();
        var last = 0;
        foreach (Match m in Code().Matches(text))
        {
            sb.Append(Prose(text[last..m.Index]));
            var code = Space().Replace(m.Groups[1].Value, " ").Trim();
            if (code.Length > 0)
                sb.Append("<c>").Append(Escape(code)).Append("</c>");
            last = m.Index + m.Length;
        }
        sb.Append(Prose(text[last..]));
        return Space().Replace(sb.ToString(), " ").Trim();
    }

    private static string Prose(string s) => Escape(Emphasis().Replace(Tag().Replace(s, " "), ""));

    /// <summary>XML-escapes <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c>.</summary>
    public static string Escape(string s) =>
        s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A sentence starts with a capital letter and ends with a full stop (or other closing punctuation).</summary>
    public static string Sentence(string s)
    {
        s = s.Trim();
        if (s.Length == 0)
            return s;
        if (char.IsLower(s[0]))
            s = char.ToUpperInvariant(s[0]) + s[1..];
        return s[^1] is '.' or '!' or '?' or ':' ? s : s + ".";
    }

    /// <summary>A short list of values as <c>&lt;c&gt;a&lt;/c&gt;, &lt;c&gt;b&lt;/c&gt;</c>, cut after <paramref name="max"/> values.</summary>
    public static string Values(IReadOnlyList<string> values, int max)
    {
        var shown = values.Take(max).Select(v => "<c>" + Escape(v) + "</c>");
        var text = string.Join(", ", shown);
        return values.Count > max ? $"{text} and {values.Count - max} more" : text;
    }

    // Splits at spaces, except inside a tag such as <see cref="X"/>, which stays whole.
    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        var inTag = false;
        foreach (var c in text)
        {
            if (c == '<')
                inTag = true;
            else if (c == '>')
                inTag = false;
            if (c == ' ' && !inTag)
            {
                if (word.Length > 0)
                    yield return word.ToString();
                word.Clear();
            }
            else
                word.Append(c);
        }
        if (word.Length > 0)
            yield return word.ToString();
    }

    /// <summary>
    /// Word-wraps <paramref name="text"/> into <c>/// </c> lines at <paramref name="indent"/>, no longer than
    /// <paramref name="width"/> where words allow.
    /// </summary>
    public static IEnumerable<string> Wrap(string indent, string text, int width = 100)
    {
        var prefix = indent + "/// ";
        var line = new StringBuilder(prefix);
        foreach (var word in Words(text))
        {
            if (line.Length > prefix.Length && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear().Append(prefix);
            }
            if (line.Length > prefix.Length)
                line.Append(' ');
            line.Append(word);
        }
        if (line.Length > prefix.Length)
            yield return line.ToString();
    }
}
