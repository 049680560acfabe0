namespace Klaviyo;

/// <summary>
/// A rule being added to a <see cref="StubInterpreter"/>: which requests it matches, waiting for its answers. Each
/// method adds the rule and returns the interpreter, so rules chain:
/// <c>stub.When(…).Respond(…).When(…).Fail()</c>.
/// </summary>
public sealed class StubRule
{
    private readonly StubInterpreter _owner;
    private readonly string _description;
    private readonly Func<KlaviyoRequest, bool> _matches;

    internal StubRule(StubInterpreter owner, string description, Func<KlaviyoRequest, bool> matches)
    {
        _owner = owner;
        _description = description;
        _matches = matches;
    }

    /// <summary>Answers with <paramref name="status"/> and an optional body, every time.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body text; <c>null</c> for none.</param>
    /// <param name="contentType">The content type sent with a body; JSON:API by default.</param>
    /// <param name="headers">More response headers, in order.</param>
    public StubInterpreter Respond(
        int status,
        string? body = null,
        string? contentType = MediaTypes.JsonApi,
        params (string Name, string Value)[] headers
    ) => Respond(StubResponse.Status(status, body, contentType, headers));

    /// <summary>
    /// Answers the first matching request with the first response, the second with the second, and so on; the last
    /// response then repeats.
    /// </summary>
    /// <example><code>
    /// stub.When(HttpMethod.Get, "/api/lists").Respond(StubResponse.Status(503), StubResponse.Status(200, "{}"));
    /// </code></example>
    /// <param name="inOrder">The responses; at least one.</param>
    public StubInterpreter Respond(params StubResponse[] inOrder) => Add(inOrder, cyclic: false);

    /// <summary>Answers with the responses in turn, starting over after the last.</summary>
    /// <param name="responses">The responses; at least one.</param>
    public StubInterpreter RespondCyclic(params StubResponse[] responses) =>
        Add(responses, cyclic: true);

    /// <summary>Answers each matching request with what <paramref name="respond"/> computes from it.</summary>
    /// <param name="respond">The function.</param>
    public StubInterpreter RespondWith(Func<KlaviyoRequest, StubResponse> respond)
    {
        ArgumentNullException.ThrowIfNull(respond);
        return _owner.Add(
            new StubInterpreter.Rule(
                _description,
                _matches,
                (request, _) => Task.FromResult(respond(request))
            )
            {
                Answer = respond,
            }
        );
    }

    /// <summary>
    /// Answers each matching request with what <paramref name="respond"/> computes from it, asynchronously: the
    /// function may wait (on a gate, a delay), which makes the request stay in flight meanwhile.
    /// </summary>
    /// <param name="respond">The function; the token is the caller's.</param>
    public StubInterpreter RespondWith(
        Func<KlaviyoRequest, CancellationToken, Task<StubResponse>> respond
    )
    {
        ArgumentNullException.ThrowIfNull(respond);
        return _owner.Add(new StubInterpreter.Rule(_description, _matches, respond));
    }

    /// <summary>Fails every matching request with a transport failure.</summary>
    /// <param name="reason">The reason reported in the error.</param>
    public StubInterpreter Fail(string reason = "connection reset (stub)") =>
        Respond(StubResponse.TransportFailure(reason));

    /// <summary>Times out every matching request.</summary>
    public StubInterpreter TimeOut() => Respond(StubResponse.Timeout());

    private StubInterpreter Add(StubResponse[] responses, bool cyclic)
    {
        ArgumentNullException.ThrowIfNull(responses);
        if (responses.Length == 0)
            throw new ArgumentException("give at least one response", nameof(responses));
        if (Array.Exists(responses, r => r is null))
            throw new ArgumentException("a response is null", nameof(responses));
        var answers = (StubResponse[])responses.Clone();
        var served = -1;
        return RespondWith(_ =>
        {
            var n = Interlocked.Increment(ref served);
            return answers[cyclic ? n % answers.Length : Math.Min(n, answers.Length - 1)];
        });
    }
}
