using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Klaviyo.Cli;

/// <summary>Writes JSON for people and pipes: two-space indents (or one line with <c>--compact</c>), <c>\n</c> newlines.</summary>
internal static class JsonOutput
{
    /// <summary>The writer settings.</summary>
    /// <param name="compact">One line instead of indented.</param>
    public static JsonWriterOptions Options(bool compact) =>
        new()
        {
            Indented = !compact,
            IndentSize = 2,
            NewLine = "\n",
            // Output is read by people and JSON parsers, not embedded in HTML: keep non-ASCII text readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

    /// <summary><paramref name="value"/> as text, without a trailing newline.</summary>
    /// <param name="value">The JSON value.</param>
    /// <param name="compact">One line instead of indented.</param>
    public static string Format(JsonElement value, bool compact)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options(compact)))
            value.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// A response body as printed: JSON formatted, text as is, nothing for an empty body; each non-empty result ends
    /// with a newline.
    /// </summary>
    /// <param name="body">The body.</param>
    /// <param name="compact">One line instead of indented.</param>
    public static string Body(ResponseBody body, bool compact) =>
        body switch
        {
            ResponseBody.Json json => Format(json.Value, compact) + "\n",
            ResponseBody.Text { Value: var text } when text.Length > 0 => text.EndsWith('\n')
                ? text
                : text + "\n",
            _ => "",
        };
}
