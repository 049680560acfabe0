using System.Globalization;
using System.Text;

namespace Klaviyo.Cli;

/// <summary>
/// Makes text from the network safe to print on a terminal. A server controls error details, links and bodies; raw,
/// they could clear the screen or move the cursor (escape sequences), overwrite or add lines (CR, LF, a forged
/// <c>klaviyo:</c> line), or reorder what is shown (bidi overrides). Every such character is written as an escape
/// instead: <c>\n</c>, <c>\r</c>, <c>\t</c>, or <c>\u001b</c>-style for the rest.
/// </summary>
internal static class TerminalText
{
    /// <summary>
    /// Whether <paramref name="c"/> is escaped: C0 controls, DEL, C1 controls, the bidi embeddings, overrides and
    /// isolates (U+202A–U+202E, U+2066–U+2069), and the line and paragraph separators (U+2028, U+2029).
    /// </summary>
    /// <param name="c">A Unicode scalar value.</param>
    public static bool IsUnsafe(int c) =>
        c
            is < 0x20
                or (>= 0x7F and <= 0x9F)
                or (>= 0x202A and <= 0x202E)
                or (>= 0x2066 and <= 0x2069)
                or 0x2028
                or 0x2029;

    /// <summary>
    /// <paramref name="text"/> with every unsafe character escaped, so it prints as one line that can only be what it
    /// says. With <paramref name="keepLineBreaks"/>, <c>\n</c> stays a line break: for JSON the tool formatted itself,
    /// where a raw line break is only ever indentation.
    /// </summary>
    /// <param name="text">The text, e.g. an error message carrying a server's detail.</param>
    /// <param name="keepLineBreaks">Leave <c>\n</c> as is.</param>
    public static string Escape(string text, bool keepLineBreaks = false)
    {
        var i = 0;
        while (i < text.Length && (!IsUnsafe(text[i]) || keepLineBreaks && text[i] == '\n'))
            i++;
        if (i == text.Length)
            return text;
        var sb = new StringBuilder(text.Length + 16).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsUnsafe(c) || keepLineBreaks && c == '\n')
                sb.Append(c);
            else
                sb.Append(
                    c switch
                    {
                        '\n' => @"\n",
                        '\r' => @"\r",
                        '\t' => @"\t",
                        _ => @"\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                    }
                );
        }
        return sb.ToString();
    }
}
