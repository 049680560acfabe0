using LanguageExt;

namespace Klaviyo;

/// <summary>Builds <see cref="Operation{A}"/> programs: values, failures, requests, sequences, bounded parallelism.</summary>
/// <example><code>
/// var ids = new[] { "01H1", "01H2", "01H3" };
/// Operation&lt;Seq&lt;int&gt;&gt; statuses = Operation.Parallel(
///     ids.Select(id => Operation.Send(PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", id))
///                               .Map(r => r.StatusCode)),
///     maxDegree: 2);
/// </code></example>
public static class Operation
{
    /// <summary>A program that sends nothing and yields <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public static Operation<A> Pure<A>(A value) => new(new PureStep(value));

    /// <summary>
    /// The options the program is run with (host, credentials, revision…), for steps that depend on them, such as
    /// following <c>links.next</c> only to the configured host. Still pure: the runner supplies them.
    /// </summary>
    public static Operation<KlaviyoOptions> Options() => new(OptionsStep.Instance);

    /// <summary>
    /// A program that waits <paramref name="delay"/> and yields nothing else: for polling (a bulk job until it is
    /// done, say). Still pure: the runner waits on <see cref="ClientOptions.TimeProvider"/>, so tests drive it with a
    /// fake clock; cancellation ends the wait at once with <see cref="KlaviyoError.Cancelled"/>. A dry run does not
    /// wait.
    /// </summary>
    /// <param name="delay">How long; zero or less yields at once.</param>
    public static Operation<Unit> Wait(TimeSpan delay) => new(new WaitStep(delay));

    /// <summary>A program that sends nothing and fails with <paramref name="error"/>.</summary>
    /// <param name="error">The error.</param>
    public static Operation<A> Fail<A>(KlaviyoError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(new FailStep(error));
    }

    /// <summary>A program that sends <paramref name="operation"/> once and yields its response.</summary>
    /// <param name="operation">The request.</param>
    public static Operation<KlaviyoResponse> Send(RequestOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new(new SendStep(operation));
    }

    /// <summary>Lifts a result computed without a request: <c>Right</c> yields its value, <c>Left</c> fails.</summary>
    /// <param name="result">The result.</param>
    public static Operation<A> From<A>(Either<KlaviyoError, A> result) =>
        result.Match(Right: Pure, Left: e => Fail<A>(e));

    /// <summary>
    /// Runs <paramref name="operations"/> one after another and yields their values in order; the first error
    /// stops the rest (they are not sent).
    /// </summary>
    /// <param name="operations">The operations; enumerated once, when this is called.</param>
    public static Operation<Seq<A>> Sequence<A>(IEnumerable<Operation<A>> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return new(new SequenceStep<A>(Steps(operations)));
    }

    /// <summary>Sends <paramref name="operations"/> one after another and yields their responses in order.</summary>
    /// <param name="operations">The requests; enumerated once, when this is called.</param>
    public static Operation<Seq<KlaviyoResponse>> Sequence(IEnumerable<RequestOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return Sequence(operations.Select(Send));
    }

    /// <summary>
    /// Runs independent <paramref name="operations"/> with at most <paramref name="maxDegree"/> in flight at once
    /// and yields their values in input order. The first error stops the rest: nothing new is started and the
    /// ones in flight are cancelled.
    /// </summary>
    /// <param name="operations">The operations; enumerated once, when this is called.</param>
    /// <param name="maxDegree">How many may run at once; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegree"/> is less than 1.</exception>
    public static Operation<Seq<A>> Parallel<A>(IEnumerable<Operation<A>> operations, int maxDegree)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegree, 1);
        return new(new ParallelStep<A>(Steps(operations), maxDegree));
    }

    /// <summary>Sends independent requests, at most <paramref name="maxDegree"/> at once; responses in input order.</summary>
    /// <param name="operations">The requests; enumerated once, when this is called.</param>
    /// <param name="maxDegree">How many may be in flight at once; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegree"/> is less than 1.</exception>
    public static Operation<Seq<KlaviyoResponse>> Parallel(
        IEnumerable<RequestOperation> operations,
        int maxDegree
    )
    {
        ArgumentNullException.ThrowIfNull(operations);
        return Parallel(operations.Select(Send), maxDegree);
    }

    /// <summary>The request as a one-step program, for chaining with the methods of <see cref="Operation{A}"/>.</summary>
    /// <param name="operation">The request.</param>
    public static Operation<KlaviyoResponse> ToOperation(this RequestOperation operation) =>
        Send(operation);

    /// <summary>LINQ <c>select</c> on a request: sends it and transforms the response.</summary>
    /// <example><code>
    /// Operation&lt;int&gt; status = from r in new RequestOperation(HttpMethod.Get, "/api/accounts") select r.StatusCode;
    /// </code></example>
    /// <param name="operation">The request.</param>
    /// <param name="map">The function of the response.</param>
    public static Operation<B> Select<B>(
        this RequestOperation operation,
        Func<KlaviyoResponse, B> map
    ) => Send(operation).Map(map);

    /// <summary>Sends the request, then continues with the operation <paramref name="bind"/> chooses.</summary>
    /// <param name="operation">The request.</param>
    /// <param name="bind">The function choosing the next operation.</param>
    public static Operation<B> SelectMany<B>(
        this RequestOperation operation,
        Func<KlaviyoResponse, Operation<B>> bind
    ) => Send(operation).Bind(bind);

    /// <summary>LINQ <c>from … from … select</c>: a request followed by an operation.</summary>
    /// <param name="operation">The request.</param>
    /// <param name="bind">The function choosing the next operation.</param>
    /// <param name="project">Combines the response and the value.</param>
    public static Operation<C> SelectMany<B, C>(
        this RequestOperation operation,
        Func<KlaviyoResponse, Operation<B>> bind,
        Func<KlaviyoResponse, B, C> project
    ) => Send(operation).SelectMany(bind, project);

    /// <summary>LINQ <c>from … from … select</c>: two requests, the second chosen from the first response.</summary>
    /// <param name="operation">The first request.</param>
    /// <param name="bind">The function choosing the second request.</param>
    /// <param name="project">Combines both responses.</param>
    public static Operation<C> SelectMany<C>(
        this RequestOperation operation,
        Func<KlaviyoResponse, RequestOperation> bind,
        Func<KlaviyoResponse, KlaviyoResponse, C> project
    ) => Send(operation).SelectMany(bind, project);

    /// <summary>LINQ <c>from … from … select</c>: a request followed by a step that may fail (a decode).</summary>
    /// <param name="operation">The request.</param>
    /// <param name="bind">The step.</param>
    /// <param name="project">Combines the response and the value.</param>
    public static Operation<C> SelectMany<B, C>(
        this RequestOperation operation,
        Func<KlaviyoResponse, Either<KlaviyoError, B>> bind,
        Func<KlaviyoResponse, B, C> project
    ) => Send(operation).SelectMany(bind, project);

    private static Step[] Steps<A>(IEnumerable<Operation<A>> operations) =>
        operations
            .Select(o => o?.Step ?? throw new ArgumentException("an operation is null"))
            .ToArray();
}
