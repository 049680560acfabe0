using System.Text;
using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>Turns a <see cref="RawResponse"/> into a <see cref="KlaviyoResponse"/> or a <see cref="KlaviyoError"/>. Pure.</summary>
internal static class ResponseClassifier
{
    /// <summary>
    /// 2xx is success; any other status is <see cref="KlaviyoError.Api"/> carrying the response and its JSON:API
    /// errors. A body under a content type matching <c>(/|+)json</c> is parsed; malformed JSON there is a
    /// <see cref="KlaviyoError.Decode"/> keeping the raw text. Messages are scrubbed of <paramref name="secrets"/>.
    /// </summary>
    /// <param name="raw">The raw response.</param>
    /// <param name="codec">The JSON codec.</param>
    /// <param name="secrets">Secret values to keep out of messages.</param>
    /// <param name="request">The request it answers, remembered for redaction; <c>null</c> when unknown.</param>
    public static Either<KlaviyoError, KlaviyoResponse> Classify(
        RawResponse raw,
        IJsonCodec codec,
        Seq<Secret> secrets,
        KlaviyoRequest? request = null
    )
    {
        var headers = new ResponseHeaders(raw.Headers, secrets) { Request = request };
        var contentType = ContentType(raw.Headers);
        ResponseBody body;
        if (raw.Body.IsEmpty)
            body = ResponseBody.None;
        else if (MediaTypes.IsJson(contentType))
        {
            try
            {
                body =
                    codec is SystemTextJsonCodec
                        ? CheckedJson(raw, codec)
                        : new ResponseBody.Json(codec.Parse(raw.Body));
            }
            catch (Exception e)
                when (e is JsonException or ArgumentException or InvalidOperationException)
            {
                return new KlaviyoError.Decode(
                    Redaction.Scrub(
                        $"malformed JSON under content-type '{contentType}': {e.Message}",
                        secrets
                    ),
                    raw.StatusCode,
                    headers,
                    Redaction.Scrub(DecodeText(raw.Body), secrets)
                )
                {
                    Attempts = raw.Attempts,
                };
            }
        }
        else
            body = new ResponseBody.Text(DecodeText(raw.Body));

        var response = new KlaviyoResponse(raw.StatusCode, headers, body)
        {
            Attempts = raw.Attempts,
        };
        if (response.IsSuccess)
            return response;
        var errors = KlaviyoApiError.FromBody(body);
        return new KlaviyoError.Api(
            response,
            errors,
            Redaction.Scrub(Summarise(raw.StatusCode, errors), secrets)
        )
        {
            Attempts = raw.Attempts,
        };
    }

    // The first content-type, any case (as ResponseHeaders.Get finds it), by index: no enumerator, no Option.
    private static string? ContentType(Seq<(string Name, string Value)> headers)
    {
        var count = headers.Count;
        for (var i = 0; i < count; i++)
        {
            var (name, value) = headers[i];
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                return value;
        }
        return null;
    }

    // Checks well-formedness with a forward-only reader (no allocation), once per response and body (a stub or a
    // fixture answers with the same one many times); the tree is built only if asked for.
    private static ResponseBody CheckedJson(RawResponse raw, IJsonCodec codec)
    {
        if (!raw.BodyKnownWellFormed)
        {
            var reader = new Utf8JsonReader(raw.Body.Span, isFinalBlock: true, state: default);
            while (reader.Read()) { }
            if (reader.BytesConsumed == 0)
                throw new JsonException("no JSON value in the body");
            raw.BodyFoundWellFormed();
        }
        return new ResponseBody.Json(raw.Body, codec);
    }

    private static string DecodeText(ReadOnlyMemory<byte> bytes) =>
        Encoding.UTF8.GetString(bytes.Span);

    private static string Summarise(int status, Seq<KlaviyoApiError> errors)
    {
        var head = $"Klaviyo answered {status} {ReasonPhrase(status)}";
        if (errors.IsEmpty)
            return head;
        var first = errors.Head;
        var text = string.Join(
            ": ",
            new[] { first.Code, first.Title, first.Detail }.Where(s => !string.IsNullOrEmpty(s))
        );
        var where = first.SourcePointer ?? first.SourceParameter;
        if (where is not null)
            text += $" (at {where})";
        if (errors.Count > 1)
            text += $" and {errors.Count - 1} more error(s)";
        return text.Length == 0 ? head : $"{head}: {text}";
    }

    private static string ReasonPhrase(int status) =>
        status switch
        {
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            409 => "Conflict",
            415 => "Unsupported Media Type",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => "",
        };
}
