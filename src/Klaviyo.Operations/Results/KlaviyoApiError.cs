using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>One JSON:API error object from Klaviyo's <c>errors</c> array.</summary>
/// <param name="Id">The error id.</param>
/// <param name="Status">The HTTP status as given in the error.</param>
/// <param name="Code">Klaviyo's error code, e.g. <c>invalid</c>.</param>
/// <param name="Title">A short title.</param>
/// <param name="Detail">A longer explanation.</param>
/// <param name="SourcePointer">The JSON pointer to the offending part of the request body.</param>
/// <param name="SourceParameter">The offending query parameter.</param>
public sealed record KlaviyoApiError(
    string? Id,
    string? Status,
    string? Code,
    string? Title,
    string? Detail,
    string? SourcePointer,
    string? SourceParameter
)
{
    /// <summary>
    /// Reads the <c>errors</c> array of a JSON:API document; anything unexpected is skipped. Never throws: a string
    /// that is not well-formed Unicode (an escaped lone surrogate such as <c>\ud800</c>, or bytes that are not UTF-8)
    /// is read with each broken part as U+FFFD, so the error still says what the server said.
    /// </summary>
    /// <param name="body">The response body.</param>
    public static Seq<KlaviyoApiError> FromBody(ResponseBody body)
    {
        if (
            body is not ResponseBody.Json { Value: var root }
            || root.ValueKind != JsonValueKind.Object
        )
            return Seq<KlaviyoApiError>();
        if (
            !JsonText.TryGetProperty(root, "errors", out var errors)
            || errors.ValueKind != JsonValueKind.Array
        )
            return Seq<KlaviyoApiError>();
        return toSeq(
            errors
                .EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(FromElement)
                .ToArray()
        );
    }

    private static KlaviyoApiError FromElement(JsonElement e)
    {
        string? Str(JsonElement o, string name) =>
            JsonText.TryGetProperty(o, name, out var v)
                ? v.ValueKind switch
                {
                    JsonValueKind.String => JsonText.String(v),
                    JsonValueKind.Number => JsonText.RawText(v),
                    _ => null,
                }
                : null;
        var source =
            JsonText.TryGetProperty(e, "source", out var s) && s.ValueKind == JsonValueKind.Object
                ? s
                : default;
        return new KlaviyoApiError(
            Str(e, "id"),
            Str(e, "status"),
            Str(e, "code"),
            Str(e, "title"),
            Str(e, "detail"),
            source.ValueKind == JsonValueKind.Object ? Str(source, "pointer") : null,
            source.ValueKind == JsonValueKind.Object ? Str(source, "parameter") : null
        );
    }
}
