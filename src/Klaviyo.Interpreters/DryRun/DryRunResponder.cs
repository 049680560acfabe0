namespace Klaviyo;

/// <summary>
/// Where a dry run's answers come from: a minimal JSON:API document per request (the default), a recorded fixture,
/// or a function of your own.
/// </summary>
/// <example><code>
/// var fromFixture = DryRunResponder.FromFixture("fixtures/profiles.json");
/// var custom = DryRunResponder.From(request => new RawResponse(202, default, ReadOnlyMemory&lt;byte&gt;.Empty));
/// </code></example>
public sealed class DryRunResponder
{
    private readonly Func<KlaviyoRequest, RawResponse> _respond;

    private DryRunResponder(Func<KlaviyoRequest, RawResponse> respond) => _respond = respond;

    /// <summary>
    /// Answers every request with the smallest plausible JSON:API document: the operation's success status from
    /// <see cref="OperationCatalog"/> (else 200, 201 for POST, 204 for DELETE); for a GET of a list
    /// <c>{"data":[],"links":{"self":…,"next":null}}</c>; for a GET or PATCH of one resource
    /// <c>{"data":{"type":…,"id":…,"attributes":{}}}</c> with the type and id taken from the path (a job, type
    /// <c>…-job</c>, has <c>"status":"complete"</c>, so polling it ends); for a POST the
    /// same with the body's <c>data.type</c> (or the path's) and a new id <c>dry-run-1</c>, <c>dry-run-2</c>, …;
    /// no body for 204. Each call gives a responder with its own id counter.
    /// </summary>
    public static DryRunResponder Minimal()
    {
        long sequence = 0;
        return new(request =>
            MinimalResponse.For(request, () => Interlocked.Increment(ref sequence))
        );
    }

    /// <summary>Answers with <paramref name="respond"/>.</summary>
    /// <param name="respond">Gives the response for a request; it sees the request unredacted.</param>
    public static DryRunResponder From(Func<KlaviyoRequest, RawResponse> respond)
    {
        ArgumentNullException.ThrowIfNull(respond);
        return new(respond);
    }

    /// <summary>
    /// Answers from a recorded fixture (see <see cref="Interpreter.Record"/>), matching as a replay does; once every
    /// answer for a request was played the last one repeats, and a request the fixture does not know gets the
    /// <see cref="Minimal"/> answer, so the dry run goes on.
    /// </summary>
    /// <param name="path">The fixture file.</param>
    /// <param name="options">Matching and filters as used when recording; by default <see cref="FixtureOptions.Default"/> with <see cref="FixtureOptions.AllowPlaybackRepeats"/> on.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a fixture this library can read.</exception>
    public static DryRunResponder FromFixture(string path, FixtureOptions? options = null)
    {
        options ??= FixtureOptions.Default with { AllowPlaybackRepeats = true };
        var replayer = FixtureReplayer.Load(path, options);
        var fallback = Minimal();
        return new(request =>
            replayer.Play(request).Match(response => response, _ => fallback.Respond(request))
        );
    }

    /// <summary>Wraps a function as a responder.</summary>
    /// <param name="respond">The function.</param>
    public static implicit operator DryRunResponder(Func<KlaviyoRequest, RawResponse> respond) =>
        From(respond);

    /// <summary>The answer to <paramref name="request"/>.</summary>
    /// <param name="request">The request.</param>
    public RawResponse Respond(KlaviyoRequest request) => _respond(request);
}
