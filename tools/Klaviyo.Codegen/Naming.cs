using System.Text;

namespace Klaviyo.Codegen;

/// <summary>Spec names to C# names: PascalCase types and methods, camelCase parameters, keywords escaped.</summary>
public static class Naming
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract",
        "as",
        "base",
        "bool",
        "break",
        "byte",
        "case",
        "catch",
        "char",
        "checked",
        "class",
        "const",
        "continue",
        "decimal",
        "default",
        "delegate",
        "do",
        "double",
        "else",
        "enum",
        "event",
        "explicit",
        "extern",
        "false",
        "finally",
        "fixed",
        "float",
        "for",
        "foreach",
        "goto",
        "if",
        "implicit",
        "in",
        "int",
        "interface",
        "internal",
        "is",
        "lock",
        "long",
        "namespace",
        "new",
        "null",
        "object",
        "operator",
        "out",
        "override",
        "params",
        "private",
        "protected",
        "public",
        "readonly",
        "ref",
        "return",
        "sbyte",
        "sealed",
        "short",
        "sizeof",
        "stackalloc",
        "static",
        "string",
        "struct",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "uint",
        "ulong",
        "unchecked",
        "unsafe",
        "ushort",
        "using",
        "virtual",
        "void",
        "volatile",
        "while",
    ];

    /// <summary>The words of a spec name: split on anything that is not a letter or digit.</summary>
    public static IReadOnlyList<string> Words(string name) =>
        name.Split(
            name.Where(c => !char.IsAsciiLetterOrDigit(c)).Distinct().ToArray(),
            StringSplitOptions.RemoveEmptyEntries
        );

    /// <summary><c>get_profiles</c> → <c>GetProfiles</c>; <c>Custom Objects</c> → <c>CustomObjects</c>.</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder();
        foreach (var w in Words(name))
            sb.Append(char.ToUpperInvariant(w[0])).Append(w, 1, w.Length - 1);
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0]))
            sb.Insert(0, '_');
        return sb.ToString();
    }

    /// <summary><c>fields[campaign-message]</c> → <c>fieldsCampaignMessage</c>; <c>page_cursor</c> → <c>pageCursor</c>.</summary>
    public static string Camel(string name)
    {
        var words = Words(name);
        var sb = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (i == 0)
                sb.Append(
                    w.ToUpperInvariant() == w && w.Any(char.IsAsciiLetter)
                        ? w.ToLowerInvariant() // API → api
                        : char.ToLowerInvariant(w[0]) + w[1..]
                );
            else
                sb.Append(char.ToUpperInvariant(w[0])).Append(w, 1, w.Length - 1);
        }
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0]))
            sb.Insert(0, '_');
        return sb.ToString();
    }

    /// <summary>The identifier for a name: <c>@params</c> for a keyword, the name itself otherwise.</summary>
    public static string Identifier(string name) => Keywords.Contains(name) ? "@" + name : name;

    /// <summary>A C# string literal (regular, double-quoted) for <paramref name="s"/>.</summary>
    public static string Literal(string? s)
    {
        if (s is null)
            return "null";
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
            sb.Append(
                c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' =>
                        $"\\u{(int)c:x4}",
                    _ => c.ToString(),
                }
            );
        return sb.Append('"').ToString();
    }
}
