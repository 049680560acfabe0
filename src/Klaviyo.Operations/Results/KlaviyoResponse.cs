using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>A classified response: status, headers (case-insensitive lookup), and the decoded body.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Headers">The headers.</param>
/// <param name="Body">The body: JSON when the content type says so, text otherwise, nothing when empty.</param>
public sealed partial record KlaviyoResponse(
    int StatusCode,
    ResponseHeaders Headers,
    ResponseBody Body
)
{
    /// <summary>The JSON root of the body, when it is JSON.</summary>
    public Option<JsonElement> Json => Body is ResponseBody.Json j ? Some(j.Value) : None;

    /// <summary>Whether the status is 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    private static Option<JsonElement> Some(JsonElement e) => Option<JsonElement>.Some(e);

    private static Option<JsonElement> None => Option<JsonElement>.None;

    /// <summary>Status and headers; the body only by kind, so echoed data never lands in logs by accident.</summary>
    public override string ToString() =>
        $"KlaviyoResponse {{ StatusCode = {StatusCode}, Headers = [{Headers}], Body = {Body.GetType().Name} }}";
}
