using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// What a <see cref="StubInterpreter"/> answers: an HTTP response, a transport failure, or a timeout. Build one with
/// <see cref="Status"/>, <see cref="Raw"/>, <see cref="TransportFailure"/> or <see cref="Timeout"/>.
/// </summary>
public abstract record StubResponse
{
    private StubResponse() { }

    /// <summary>An HTTP response (any status: the usual classification and retry rules apply to it).</summary>
    /// <param name="Response">The response.</param>
    public sealed record Answer(RawResponse Response) : StubResponse;

    /// <summary>A transport failure (<see cref="KlaviyoError.Transport"/>), e.g. a reset connection.</summary>
    /// <param name="Reason">The reason reported.</param>
    public sealed record Failure(string Reason) : StubResponse;

    /// <summary>No answer within the request's timeout (<see cref="KlaviyoError.Timeout"/>).</summary>
    public sealed record TimedOut : StubResponse;

    /// <summary>An HTTP response with <paramref name="status"/> and an optional UTF-8 body.</summary>
    /// <example><code>
    /// StubResponse.Status(200, """{"data":[]}""");
    /// StubResponse.Status(429, headers: ("Retry-After", "2"));
    /// </code></example>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body text; <c>null</c> for none.</param>
    /// <param name="contentType">The content type sent with a body; JSON:API by default.</param>
    /// <param name="headers">More response headers, in order.</param>
    public static StubResponse Status(
        int status,
        string? body = null,
        string? contentType = MediaTypes.JsonApi,
        params (string Name, string Value)[] headers
    )
    {
        var all = new List<(string, string)>(headers.Length + 1);
        if (body is not null && contentType is not null)
            all.Add(("content-type", contentType));
        all.AddRange(headers);
        var bytes = body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body);
        return new Answer(new RawResponse(status, all.ToSeq(), bytes));
    }

    /// <summary>Answers with <paramref name="response"/> as given.</summary>
    /// <param name="response">The response.</param>
    public static StubResponse Raw(RawResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new Answer(response);
    }

    /// <summary>A transport failure, as when the connection is refused or reset.</summary>
    /// <param name="reason">The reason reported in the error.</param>
    public static StubResponse TransportFailure(string reason = "connection reset (stub)") =>
        new Failure(reason);

    /// <summary>A timeout: the request's own timeout elapsed without an answer.</summary>
    public static StubResponse Timeout() => new TimedOut();

    /// <summary>What an interpreter returns for this answer to <paramref name="request"/>.</summary>
    internal Either<KlaviyoError, RawResponse> ToResult(KlaviyoRequest request) =>
        this switch
        {
            Answer a => a.Response,
            Failure f => new KlaviyoError.Transport(request.Scrub(f.Reason)),
            _ => new KlaviyoError.Timeout(request.Timeout),
        };
}
