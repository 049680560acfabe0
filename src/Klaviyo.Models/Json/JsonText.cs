using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Klaviyo;

/// <summary>
/// Reads strings and property names out of server JSON without ever throwing. System.Text.Json accepts a document
/// whose strings are not well-formed Unicode (an escaped lone surrogate such as <c>\ud800</c>, or raw bytes that are
/// not UTF-8) but throws <see cref="InvalidOperationException"/> when such a string is read, and even when a property
/// is looked up by name past such a key. Here each broken part reads as U+FFFD instead: a broken string is data, the
/// way <see cref="Encoding.UTF8"/> decodes invalid bytes.
/// </summary>
internal static class JsonText
{
    private const char Replacement = '\uFFFD';

    /// <summary>The value of a string element, broken parts replaced by U+FFFD.</summary>
    /// <param name="e">An element of kind <see cref="JsonValueKind.String"/>.</param>
    public static string String(JsonElement e)
    {
        try
        {
            return e.GetString() ?? "";
        }
        catch (InvalidOperationException) when (e.ValueKind == JsonValueKind.String)
        {
            return Unescape(JsonMarshal.GetRawUtf8Value(e));
        }
    }

    /// <summary>A property's name, broken parts replaced by U+FFFD.</summary>
    /// <param name="p">The property.</param>
    public static string Name(JsonProperty p)
    {
        try
        {
            return p.Name;
        }
        catch (InvalidOperationException)
        {
            return Unescape(JsonMarshal.GetRawUtf8PropertyName(p));
        }
    }

    /// <summary>The current string token (or property name) of <paramref name="reader"/>, broken parts replaced by U+FFFD.</summary>
    /// <param name="reader">A reader on a string or property-name token.</param>
    public static string String(ref Utf8JsonReader reader) => String(ref reader, out _);

    /// <summary>
    /// Whether the current string or property-name token is not well-formed Unicode (System.Text.Json would throw
    /// reading or comparing it). Only an escaped token can be; others are checked for nothing.
    /// </summary>
    /// <param name="reader">A reader on a string or property-name token.</param>
    public static bool IsBroken(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
            return false;
        String(ref reader, out var broken);
        return broken;
    }

    private static string String(ref Utf8JsonReader reader, out bool broken)
    {
        broken = false;
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
            when (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
        {
            broken = true;
            return reader.HasValueSequence
                ? Unescape(reader.ValueSequence.ToArray())
                : Unescape(reader.ValueSpan);
        }
    }

    /// <summary>
    /// A copy of <paramref name="e"/> with every string and key read leniently (broken parts as U+FFFD), for code that
    /// reads the tree with System.Text.Json's own strict readers (e.g. a deserializer matching property names);
    /// <c>null</c> when nothing in it is broken. Token by token, so any depth is fine.
    /// </summary>
    /// <param name="e">The element.</param>
    public static JsonElement? Clean(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Undefined)
            return null;
        // The element was parsed already, so its depth is known to be acceptable; keep every limit out of the way.
        const int anyDepth = int.MaxValue;
        var reader = new Utf8JsonReader(
            JsonMarshal.GetRawUtf8Value(e),
            new JsonReaderOptions
            {
                MaxDepth = anyDepth,
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            }
        );
        var output = new ArrayBufferWriter<byte>();
        var anyBroken = false;
        using (
            var writer = new Utf8JsonWriter(
                output,
                new JsonWriterOptions { MaxDepth = anyDepth, SkipValidation = true }
            )
        )
        {
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
                        writer.WritePropertyName(String(ref reader, out var brokenName));
                        anyBroken |= brokenName;
                        break;
                    case JsonTokenType.String:
                        writer.WriteStringValue(String(ref reader, out var brokenValue));
                        anyBroken |= brokenValue;
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
        return anyBroken
            ? JsonDocument
                .Parse(output.WrittenMemory, new JsonDocumentOptions { MaxDepth = anyDepth })
                .RootElement
            : null;
    }

    /// <summary>
    /// Looks up property <paramref name="name"/> of an object as <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>
    /// does (the last of duplicates wins), comparing leniently read names when a key is not well-formed.
    /// </summary>
    /// <param name="obj">An element of kind <see cref="JsonValueKind.Object"/>.</param>
    /// <param name="name">The property name.</param>
    /// <param name="value">The value, when found.</param>
    public static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        try
        {
            return obj.TryGetProperty(name, out value);
        }
        catch (InvalidOperationException) when (obj.ValueKind == JsonValueKind.Object)
        {
            value = default;
            var found = false;
            foreach (var p in obj.EnumerateObject())
                if (Name(p) == name)
                {
                    value = p.Value;
                    found = true;
                }
            return found;
        }
    }

    /// <summary>The element's JSON text; bytes that are not UTF-8 read as U+FFFD.</summary>
    /// <param name="e">Any element but <see cref="JsonValueKind.Undefined"/>.</param>
    public static string RawText(JsonElement e)
    {
        try
        {
            return e.GetRawText();
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(e));
        }
    }

    /// <summary>
    /// Decodes the raw text of a JSON string (with or without its quotes) the lenient way: bytes that are not UTF-8
    /// and surrogates that are not part of a pair each become U+FFFD; every other escape means what it says.
    /// </summary>
    /// <param name="raw">The raw UTF-8 of the string as it stands in the document, escapes included.</param>
    internal static string Unescape(ReadOnlySpan<byte> raw)
    {
        // Inside a JSON string a quote is always escaped, so a leading and trailing quote are the delimiters.
        if (raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"')
            raw = raw[1..^1];
        // Escapes are ASCII, so decoding the bytes first (invalid ones to U+FFFD) leaves them intact.
        var text = Encoding.UTF8.GetString(raw);
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                sb.Append(c);
                continue;
            }
            var e = text[++i];
            switch (e)
            {
                case 'b':
                    sb.Append('\b');
                    break;
                case 'f':
                    sb.Append('\f');
                    break;
                case 'n':
                    sb.Append('\n');
                    break;
                case 'r':
                    sb.Append('\r');
                    break;
                case 't':
                    sb.Append('\t');
                    break;
                case 'u'
                    when i + 4 < text.Length
                        && ushort.TryParse(
                            text.AsSpan(i + 1, 4),
                            System.Globalization.NumberStyles.AllowHexSpecifier,
                            System.Globalization.CultureInfo.InvariantCulture,
                            out var unit
                        ):
                    sb.Append((char)unit);
                    i += 4;
                    break;
                default:
                    // \" \\ \/ stand for themselves; anything else the parser would have refused.
                    sb.Append(e);
                    break;
            }
        }
        return ReplaceLoneSurrogates(sb);
    }

    private static string ReplaceLoneSurrogates(StringBuilder sb)
    {
        for (var i = 0; i < sb.Length; i++)
        {
            if (!char.IsSurrogate(sb[i]))
                continue;
            if (char.IsHighSurrogate(sb[i]) && i + 1 < sb.Length && char.IsLowSurrogate(sb[i + 1]))
                i++;
            else
                sb[i] = Replacement;
        }
        return sb.ToString();
    }
}
