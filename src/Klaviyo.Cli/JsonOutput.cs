using System.Buffers;
using System.Runtime.InteropServices;
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
            // Output is read by people and JSON parsers, not embedded in HTML: keep non-ASCII text readable, but
            // escape what a terminal would act on (see TerminalText).
            Encoder = TerminalJsonEncoder.Instance,
        };

    /// <summary><paramref name="value"/> as text, without a trailing newline.</summary>
    /// <param name="value">The JSON value.</param>
    /// <param name="compact">One line instead of indented.</param>
    public static string Format(JsonElement value, bool compact)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options(compact)))
            Write(writer, value);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Writes <paramref name="value"/>, token by token (any depth). Unlike <see cref="JsonElement.WriteTo"/> it does
    /// not fail on a string or key that is not well-formed Unicode (a server's lone <c>\ud800</c>, bytes that are not
    /// UTF-8): such a string is written as the server escaped it, with bytes that are not UTF-8 as U+FFFD.
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The JSON value.</param>
    public static void Write(Utf8JsonWriter writer, JsonElement value)
    {
        var reader = new Utf8JsonReader(
            JsonMarshal.GetRawUtf8Value(value),
            new JsonReaderOptions { MaxDepth = int.MaxValue }
        );
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    if (Text(ref reader) is { } name)
                        writer.WritePropertyName(name);
                    else
                        writer.WritePropertyName(AsSent(ref reader));
                    break;
                case JsonTokenType.String:
                    if (Text(ref reader) is { } text)
                        writer.WriteStringValue(text);
                    else
                        writer.WriteRawValue(
                            "\"" + AsSent(ref reader) + "\"",
                            skipInputValidation: true
                        );
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True:
                    writer.WriteBooleanValue(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBooleanValue(false);
                    break;
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
            }
        }
    }

    // The decoded string, or null when it is not well-formed Unicode.
    private static string? Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // The string as it stands in the document (escapes kept), bytes that are not UTF-8 as U+FFFD, and made safe for
    // a terminal: raw, it bypasses the writer's encoder.
    private static string AsSent(ref Utf8JsonReader reader) =>
        TerminalText.Escape(
            Encoding.UTF8.GetString(
                reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan
            )
        );

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

/// <summary>
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> (readable non-ASCII, nothing escaped for HTML's sake) that
/// also escapes the bidi controls and separators <see cref="TerminalText"/> names: the relaxed encoder already escapes
/// C0, DEL and C1, but would pass U+202E through to the terminal.
/// </summary>
internal sealed class TerminalJsonEncoder : JavaScriptEncoder
{
    public static readonly TerminalJsonEncoder Instance = new();

    private static readonly JavaScriptEncoder Relaxed = UnsafeRelaxedJsonEscaping;

    private TerminalJsonEncoder() { }

    public override int MaxOutputCharactersPerInputCharacter =>
        Relaxed.MaxOutputCharactersPerInputCharacter;

    public override bool WillEncode(int unicodeScalar) =>
        TerminalText.IsUnsafe(unicodeScalar) || Relaxed.WillEncode(unicodeScalar);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var relaxed = Relaxed.FindFirstCharacterToEncode(text, textLength);
        var end = relaxed < 0 ? textLength : relaxed;
        for (var i = 0; i < end; i++)
            if (TerminalText.IsUnsafe(text[i]))
                return i;
        return relaxed;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var relaxed = Relaxed.FindFirstCharacterToEncodeUtf8(utf8Text);
        var end = relaxed < 0 ? utf8Text.Length : relaxed;
        // The extra characters are all U+2xxx: three bytes starting E2 80 or E2 81.
        var span = utf8Text[..end];
        for (var at = span.IndexOf((byte)0xE2); at >= 0 && at + 2 < span.Length; )
        {
            var scalar =
                ((span[at] & 0x0F) << 12) | ((span[at + 1] & 0x3F) << 6) | (span[at + 2] & 0x3F);
            if (TerminalText.IsUnsafe(scalar))
                return at;
            var next = span[(at + 1)..].IndexOf((byte)0xE2);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return relaxed;
    }

    public override unsafe bool TryEncodeUnicodeScalar(
        int unicodeScalar,
        char* buffer,
        int bufferLength,
        out int numberOfCharactersWritten
    )
    {
        if (!TerminalText.IsUnsafe(unicodeScalar))
            return Relaxed.TryEncodeUnicodeScalar(
                unicodeScalar,
                buffer,
                bufferLength,
                out numberOfCharactersWritten
            );
        var escape = $"\\u{unicodeScalar:X4}";
        if (bufferLength < escape.Length)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        escape.CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = escape.Length;
        return true;
    }
}
