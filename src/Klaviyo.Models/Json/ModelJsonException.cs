using System.Text.Json;

namespace Klaviyo.Models;

/// <summary>
/// A value that does not fit its model, with where it is relative to the value being read. Each enclosing member or
/// list item adds its step on the way out, so the path names the spot in the whole document.
/// </summary>
internal sealed class ModelJsonException : JsonException
{
    private static readonly char[] Special =
    [
        '.',
        ' ',
        '\'',
        '/',
        '"',
        '[',
        ']',
        '(',
        ')',
        '\t',
        '\n',
        '\r',
        '\f',
        '\b',
        '\\',
        '\u0085',
        '\u2028',
        '\u2029',
    ];

    private ModelJsonException(string reason, string relativePath, Exception? inner)
        : base(reason, inner)
    {
        Reason = reason;
        RelativePath = relativePath;
    }

    /// <summary>What did not fit, without the path.</summary>
    public string Reason { get; }

    /// <summary>Where, relative to the value being read: <c>$</c>, <c>$.data[0].attributes</c>, …</summary>
    public string RelativePath { get; }

    /// <summary>A value of the wrong kind here.</summary>
    public static ModelJsonException Mismatch(string expected, JsonTokenType found) =>
        new($"expected {expected}, found {Lenient.Kind(found)}", "$", null);

    /// <summary>A value of the right kind that still does not parse, e.g. a date.</summary>
    public static ModelJsonException Invalid(string reason) => new(reason, "$", null);

    /// <summary>Any failure while reading, as a <see cref="ModelJsonException"/>.</summary>
    public static ModelJsonException From(JsonException e) =>
        e as ModelJsonException ?? new(WithoutPathSuffix(e.Message), "$", e);

    /// <summary>The same failure, one member further out.</summary>
    public ModelJsonException Under(string member) =>
        new(Reason, "$" + Step(member) + RelativePath[1..], this);

    /// <summary>The same failure, one list item further out.</summary>
    public ModelJsonException At(int index) => new(Reason, $"$[{index}]" + RelativePath[1..], this);

    /// <summary><c>.name</c>, or <c>['odd name']</c> as System.Text.Json writes paths.</summary>
    public static string Step(string member) =>
        member.IndexOfAny(Special) >= 0 ? $"['{member}']" : "." + member;

    /// <summary>System.Text.Json appends "Path: … | LineNumber: …"; the path is kept separately.</summary>
    public static string WithoutPathSuffix(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var text = (at >= 0 ? message[..at] : message).TrimEnd();
        var line = text.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return line >= 0 ? text[..line].TrimEnd(' ', '|') : text;
    }
}
