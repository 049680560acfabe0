using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Klaviyo.Models;

/// <summary>
/// Lenient reading of one JSON token, shared by the models and by the JSON:API attribute converters
/// (<c>LenientConverters</c>): strings from numbers and booleans, numbers and booleans from strings, dates from ISO
/// 8601 or invariant text. A value of the wrong kind throws a <see cref="ModelJsonException"/> saying what was
/// expected and what was found; values themselves never appear in messages (they may be personal data).
/// </summary>
internal static class Lenient
{
    /// <summary>Whether the token is <c>null</c> or a blank string: "no value" for a number, date or boolean.</summary>
    public static bool IsBlank(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null
        || reader.TokenType == JsonTokenType.String
            && string.IsNullOrWhiteSpace(JsonText.String(ref reader));

    /// <summary>A string from a string, a number (its text) or a boolean; <c>null</c> gives null.</summary>
    public static string? String(ref Utf8JsonReader reader) =>
        reader.TokenType switch
        {
            JsonTokenType.String => JsonText.String(ref reader),
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => null,
            _ => throw ModelJsonException.Mismatch("a string", reader.TokenType),
        };

    /// <summary>A number from a JSON number or a string holding one (<c>"42"</c>, <c>"1.5"</c>, <c>"1e3"</c>).</summary>
    public static T Number<T>(ref Utf8JsonReader reader)
        where T : INumber<T>
    {
        var text = reader.TokenType switch
        {
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.String => JsonText.String(ref reader).Trim(),
            _ => throw ModelJsonException.Mismatch(
                $"a number ({typeof(T).Name})",
                reader.TokenType
            ),
        };
        return T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw ModelJsonException.Invalid(
                $"{Kind(reader.TokenType)} that is not a valid {typeof(T).Name}"
            );
    }

    /// <summary>A boolean from <c>true</c>/<c>false</c>, the strings <c>"true"</c>/<c>"false"</c> (any case), or 0/1.</summary>
    public static bool Boolean(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String or JsonTokenType.Number:
                var text =
                    reader.TokenType == JsonTokenType.String
                        ? JsonText.String(ref reader).Trim()
                        : Encoding.UTF8.GetString(reader.ValueSpan);
                if (bool.TryParse(text, out var b))
                    return b;
                if (text == "1")
                    return true;
                if (text == "0")
                    return false;
                throw ModelJsonException.Invalid(
                    $"{Kind(reader.TokenType)} that is not a valid Boolean"
                );
            default:
                throw ModelJsonException.Mismatch("a boolean", reader.TokenType);
        }
    }

    /// <summary>A date-time from ISO 8601 (<c>2024-01-02T03:04:05+00:00</c>), or any invariant date text; no offset means UTC.</summary>
    public static DateTimeOffset DateTimeOffset(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw ModelJsonException.Mismatch("an ISO 8601 date-time string", reader.TokenType);
        if (reader.TryGetDateTimeOffset(out var iso))
            return iso;
        return System.DateTimeOffset.TryParse(
            JsonText.String(ref reader).Trim(),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal,
            out var parsed
        )
            ? parsed
            : throw ModelJsonException.Invalid("a string that is not a valid date-time");
    }

    /// <summary>A <see cref="System.DateTime"/> from ISO 8601 or invariant date text; no offset means UTC.</summary>
    public static DateTime DateTime(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw ModelJsonException.Mismatch("an ISO 8601 date-time string", reader.TokenType);
        if (reader.TryGetDateTime(out var iso))
            return iso;
        return System.DateTime.TryParse(
            JsonText.String(ref reader).Trim(),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var parsed
        )
            ? parsed
            : throw ModelJsonException.Invalid("a string that is not a valid date-time");
    }

    /// <summary>What kind of token this is, e.g. "an object".</summary>
    public static string Kind(JsonTokenType t) =>
        t switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            _ => t.ToString(),
        };
}
