using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Where a document came from, so a decode error can carry the response's status, headers and raw text. A document
/// parsed from a bare <see cref="JsonElement"/> has status 0 and no headers.
/// </summary>
/// <param name="StatusCode">The HTTP status, or 0.</param>
/// <param name="Headers">The response headers.</param>
/// <param name="Root">The document's root element; its text becomes <see cref="KlaviyoError.Decode.RawText"/>.</param>
internal sealed record DecodeOrigin(int StatusCode, ResponseHeaders Headers, JsonElement Root)
{
    public static DecodeOrigin Detached(JsonElement root) =>
        new(0, new ResponseHeaders(Seq<(string, string)>.Empty), root);

    public KlaviyoError.Decode Error(string reason) =>
        new(reason, StatusCode, Headers, RawText(Root))
        {
            // A detached document involved no send; one read from a response did.
            Attempts = StatusCode == 0 ? 0 : 1,
        };

    private static string RawText(JsonElement e) =>
        e.ValueKind == JsonValueKind.Undefined ? "" : JsonText.RawText(e);
}
