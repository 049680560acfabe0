namespace Klaviyo;

/// <summary>
/// Where a dry run's answers come from: a document shaped like the operation's success response in the spec (the
/// default, <see cref="FromSchema"/>), the smallest JSON:API document (<see cref="Minimal"/>), a recorded fixture,
/// or a function of your own.
/// </summary>
/// <example><code>
/// var minimal = DryRunResponder.Minimal();
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
    /// no body for 204. Each call gives a responder with its own id counter. Choose it when a dry run should show
    /// only the requests (the default is <see cref="FromSchema"/>).
    /// </summary>
    public static DryRunResponder Minimal()
    {
        long sequence = 0;
        return new(request =>
            MinimalResponse.For(request, () => Interlocked.Increment(ref sequence))
        );
    }

    /// <summary>
    /// Answers every request with a document shaped like its operation's success response in the spec (the default of
    /// <see cref="Interpreter.DryRun"/>), so a typed pipeline decodes every answer and its <c>select</c> sees plausible
    /// values: the spec's examples of each member (a profile's <c>email</c> is an email address), elsewhere values of
    /// the right type and format (dates, URLs, the first allowed value of an enum, numbers, booleans), nested objects,
    /// <c>included</c> resources, and two resources in a list's <c>data</c> (fewer when <c>page[size]</c> asks for
    /// fewer). What a program relies on holds as with <see cref="Minimal"/>: the operation's success status (no body
    /// for 204); a single resource's id from the path; a creation's <c>data.type</c> from the body and a new id
    /// <c>dry-run-1</c>, <c>dry-run-2</c>, …; every job (type <c>…-job</c>) has <c>"status":"complete"</c>, so polling
    /// ends; a list's <c>links</c> has <c>self</c> the redacted request URL and <c>next</c> null, so pagination ends.
    /// The documents are generated from the spec by <c>tools/Klaviyo.Codegen</c>, read once on first use, and the same
    /// requests always get the same bytes. A request without an operation id (a raw
    /// <see cref="RequestOperation"/>), or whose operation has no JSON response body, gets the <see cref="Minimal"/>
    /// answer. Each call gives a responder with its own id counter.
    /// </summary>
    public static DryRunResponder FromSchema()
    {
        long sequence = 0;
        return new(request =>
            SchemaResponse.For(request, () => Interlocked.Increment(ref sequence))
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
    /// <see cref="FromSchema"/> answer, so the dry run goes on.
    /// </summary>
    /// <param name="path">The fixture file.</param>
    /// <param name="options">Matching and filters as used when recording; by default <see cref="FixtureOptions.Default"/> with <see cref="FixtureOptions.AllowPlaybackRepeats"/> on.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a fixture this library can read.</exception>
    public static DryRunResponder FromFixture(string path, FixtureOptions? options = null)
    {
        options ??= FixtureOptions.Default with { AllowPlaybackRepeats = true };
        var replayer = FixtureReplayer.Load(path, options);
        var fallback = FromSchema();
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
