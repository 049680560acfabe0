using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Redacts UTF-8 JSON as a stream of tokens: the value of a secret property (at any depth, any type) becomes
/// <c>"[REDACTED]"</c>, string values are scrubbed of secret values (and rewritten by the user's rules). One forward
/// pass with no tree and no recursion, so duplicate keys, deep nesting and escaped names (<c>"access\u005ftoken"</c>)
/// are all seen as they are. When nothing changes the input bytes come back unchanged.
/// </summary>
internal static class JsonRedaction
{
    /// <summary>The deepest nesting read; deeper documents are not redacted here (the caller masks them whole).</summary>
    public const int MaxDepth = 1_000;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = MaxDepth + 1,
        SkipValidation = true,
    };

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>The redacted JSON, or <c>None</c> when <paramref name="utf8"/> is not one well-formed JSON value.</summary>
    /// <param name="utf8">The JSON.</param>
    /// <param name="scope">What to hide.</param>
    public static Option<ReadOnlyMemory<byte>> Redact(
        ReadOnlyMemory<byte> utf8,
        RedactionScope scope
    )
    {
        try
        {
            return Some(RedactOrThrow(utf8, scope));
        }
        catch (JsonException)
        {
            return None;
        }
        catch (InvalidOperationException)
        {
            // The writer refused what the reader let through (e.g. depth): not redactable here.
            return None;
        }
    }

    private static ReadOnlyMemory<byte> RedactOrThrow(
        ReadOnlyMemory<byte> utf8,
        RedactionScope scope
    )
    {
        var reader = new Utf8JsonReader(utf8.Span, ReaderOptions);
        var buffer = new ArrayBufferWriter<byte>(utf8.Length + 64);
        var changed = false;
        // The property that holds the current container's values (for ReplaceBodyField), one per open container.
        var fields = new Stack<string>();
        var field = "";
        var pendingName = "";
        var values = 0;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                    {
                        var name = ReadString(ref reader, out var readable);
                        var shown = readable ? scope.Scrub(name) : Redaction.Mask;
                        changed |= !ReferenceEquals(shown, name);
                        writer.WritePropertyName(shown);
                        if (!readable || scope.IsSecretField(name))
                        {
                            reader.Read();
                            if (!IsMask(ref reader))
                                changed = true;
                            if (
                                reader.TokenType
                                is JsonTokenType.StartObject
                                    or JsonTokenType.StartArray
                            )
                                reader.Skip();
                            writer.WriteStringValue(Redaction.Mask);
                            values++;
                            continue;
                        }
                        pendingName = name;
                        continue;
                    }
                    case JsonTokenType.StartObject:
                        fields.Push(field);
                        field = pendingName;
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.StartArray:
                        fields.Push(field);
                        field = pendingName;
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndObject:
                        field = fields.Pop();
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.EndArray:
                        field = fields.Pop();
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.String:
                    {
                        // A string under a property belongs to it; an array item to the array's property.
                        var holder = pendingName.Length > 0 ? pendingName : field;
                        var text = ReadString(ref reader, out var readable);
                        if (!readable)
                        {
                            // Not valid Unicode (a lone surrogate escape, say): kept as written unless it hides a secret.
                            var raw = Encoding.UTF8.GetString(reader.ValueSpan);
                            if (Redaction.ContainsAny(raw, scope.Secrets))
                            {
                                writer.WriteStringValue(Redaction.Mask);
                                changed = true;
                            }
                            else
                                writer.WriteRawValue("\"" + raw + "\"", skipInputValidation: true);
                            break;
                        }
                        var shown = scope.Rules.ReplaceBodyField is { } replace
                            ? replace(holder, text)
                            : text;
                        shown = scope.Scrub(shown);
                        changed |= !string.Equals(shown, text, StringComparison.Ordinal);
                        writer.WriteStringValue(shown);
                        break;
                    }
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
                    default:
                        throw new JsonException($"unexpected token {reader.TokenType}");
                }
                pendingName = "";
                values++;
            }
        }
        if (values == 0)
            throw new JsonException("no JSON value");
        return changed ? buffer.WrittenMemory : utf8;
    }

    // The string's text; readable is false when it is not well-formed Unicode.
    private static string ReadString(ref Utf8JsonReader reader, out bool readable)
    {
        try
        {
            readable = true;
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            readable = false;
            return "";
        }
    }

    private static bool IsMask(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(Redaction.Mask);
}
