using System.Diagnostics.CodeAnalysis;
using LanguageExt;

namespace Klaviyo;

public partial record KlaviyoResponse
{
    /// <summary>
    /// Reads the body as a JSON:API document. Never throws: a body that is not a JSON object (text, empty, an array)
    /// is a <see cref="KlaviyoError.Decode"/> carrying this response's status and headers; strings that are not
    /// well-formed Unicode read with each broken part as U+FFFD (see <see cref="JsonApiDocument.Parse"/>).
    /// </summary>
    /// <example><code>
    /// var page = response.Document().Bind(d => d.DataAs&lt;Profile&gt;());
    /// </code></example>
    public Either<KlaviyoError, JsonApiDocument> Document() =>
        Body switch
        {
            ResponseBody.Json json => JsonApiReading.Document(
                json.Value,
                new DecodeOrigin(StatusCode, Headers, json.Value)
            ),
            ResponseBody.Text text => new KlaviyoError.Decode(
                "expected a JSON:API document, but the body is not JSON (content-type "
                    + Headers.Get("content-type").IfNone("missing")
                    + ")",
                StatusCode,
                Headers,
                text.Value
            ),
            _ => new KlaviyoError.Decode(
                "expected a JSON:API document, but the body is empty",
                StatusCode,
                Headers,
                ""
            ),
        };

    /// <summary>Reads the body as a JSON:API document and decodes every primary resource into <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Your record or class for the attributes.</typeparam>
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public Either<KlaviyoError, Seq<JsonApiResource<T>>> DataAs<T>() =>
        Document().Bind(d => d.DataAs<T>());
}
