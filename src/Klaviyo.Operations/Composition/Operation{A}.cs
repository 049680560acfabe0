using LanguageExt;

namespace Klaviyo;

/// <summary>
/// A pure description of one or more requests that yields an <typeparamref name="A"/> when run. Building one sends
/// nothing: <c>program.RunAsync(options)</c> (or <c>KlaviyoClient.RunAsync</c>) runs it on the interpreter in
/// <see cref="KlaviyoOptions.Client"/>. The first error stops the program; later steps are not run.
/// </summary>
/// <remarks>
/// Compose with LINQ: a <see cref="RequestOperation"/> is usable directly, with <see cref="KlaviyoResponse"/> as its
/// element. Programs are stack-safe: a chain of a million <see cref="Bind{B}(Func{A, Operation{B}})"/> steps, nested
/// either way, runs in constant stack space. The functions you pass run when the program runs, once per run; an
/// exception they throw is not caught.
/// <example><code>
/// Operation&lt;(int, int)&gt; program =
///     from a in new RequestOperation(HttpMethod.Get, "/api/accounts")
///     from b in new RequestOperation(HttpMethod.Get, "/api/lists")
///     select (a.StatusCode, b.StatusCode);
/// </code></example>
/// </remarks>
/// <typeparam name="A">What the program yields.</typeparam>
public sealed class Operation<A>
{
    internal Operation(Step step) => Step = step;

    internal Step Step { get; }

    /// <summary>Transforms the value with <paramref name="map"/> when the program runs.</summary>
    /// <param name="map">The function.</param>
    public Operation<B> Map<B>(Func<A, B> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new(new MapStep<A, B>(Step, map));
    }

    /// <summary>LINQ's name for <see cref="Map{B}"/>.</summary>
    /// <param name="map">The function.</param>
    public Operation<B> Select<B>(Func<A, B> map) => Map(map);

    /// <summary>Continues with the operation <paramref name="bind"/> chooses from the value.</summary>
    /// <param name="bind">The function choosing the next operation.</param>
    public Operation<B> Bind<B>(Func<A, Operation<B>> bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        return new(new BindStep<A, B>(Step, bind));
    }

    /// <summary>Continues by sending the request <paramref name="bind"/> chooses from the value.</summary>
    /// <param name="bind">The function choosing the next request.</param>
    public Operation<KlaviyoResponse> Bind(Func<A, RequestOperation> bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        return Bind(a => Operation.Send(bind(a)));
    }

    /// <summary>
    /// Continues with a step that may fail without sending anything, such as decoding a response. A
    /// <c>Left</c> stops the program with that error.
    /// </summary>
    /// <example><code>
    /// Operation&lt;string&gt; id = Operation.Send(op).Bind(r =>
    ///     r.Json.Match(
    ///         j => Prelude.Right&lt;KlaviyoError, string&gt;(j.GetProperty("data").GetProperty("id").GetString()!),
    ///         () => new KlaviyoError.Decode("no JSON body", r.StatusCode, r.Headers, "")));
    /// </code></example>
    /// <param name="bind">The step.</param>
    public Operation<B> Bind<B>(Func<A, Either<KlaviyoError, B>> bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        return new(new BindEitherStep<A, B>(Step, bind));
    }

    /// <summary>LINQ's name for <see cref="Bind{B}(Func{A, Operation{B}})"/>.</summary>
    /// <param name="bind">The function choosing the next operation.</param>
    public Operation<B> SelectMany<B>(Func<A, Operation<B>> bind) => Bind(bind);

    /// <summary>LINQ's <c>from … from … select</c> over two operations.</summary>
    /// <param name="bind">The function choosing the next operation.</param>
    /// <param name="project">Combines both values.</param>
    public Operation<C> SelectMany<B, C>(Func<A, Operation<B>> bind, Func<A, B, C> project)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(project);
        return Bind(a => bind(a).Map(b => project(a, b)));
    }

    /// <summary>LINQ's <c>from … from … select</c> where the second source is a request.</summary>
    /// <param name="bind">The function choosing the next request.</param>
    /// <param name="project">Combines the value and the response.</param>
    public Operation<C> SelectMany<C>(
        Func<A, RequestOperation> bind,
        Func<A, KlaviyoResponse, C> project
    )
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(project);
        return Bind(a => Operation.Send(bind(a)).Map(r => project(a, r)));
    }

    /// <summary>LINQ's <c>from … from … select</c> where the second source is a typed request (its body decoded).</summary>
    /// <param name="bind">The function choosing the next request.</param>
    /// <param name="project">Combines the value and the decoded response.</param>
    public Operation<C> SelectMany<T, C>(
        Func<A, RequestOperation<T>> bind,
        Func<A, KlaviyoResponse<T>, C> project
    )
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(project);
        return Bind(a => bind(a).ToTypedOperation().Map(r => project(a, r)));
    }

    /// <summary>LINQ's <c>from … from … select</c> where the second source is a step that may fail (a decode).</summary>
    /// <param name="bind">The step.</param>
    /// <param name="project">Combines both values.</param>
    public Operation<C> SelectMany<B, C>(
        Func<A, Either<KlaviyoError, B>> bind,
        Func<A, B, C> project
    )
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(project);
        return Bind(a => bind(a).Map(b => project(a, b)));
    }

    /// <summary>Runs this, then <paramref name="next"/>, keeping the value of <paramref name="next"/>.</summary>
    /// <param name="next">The operation to run afterwards.</param>
    public Operation<B> Then<B>(Operation<B> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Bind(_ => next);
    }

    /// <summary>
    /// Runs this program, doing each request with <paramref name="send"/> — the seam an interpreter package plugs its
    /// send path into (Klaviyo.Interpreters' <c>RunAsync</c> does). One loop with an explicit stack, so long chains
    /// run in constant stack; the first error stops the program and is returned; cancellation stops it between steps.
    /// </summary>
    /// <param name="send">Builds, sends and classifies one request.</param>
    /// <param name="wait">Waits (for <see cref="Operation.Wait"/>), e.g. on the options' clock.</param>
    /// <param name="options">The options the program runs with (what <see cref="Operation.Options"/> yields).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The program's value, or the first error. The value must not be <c>null</c> (an <c>Either</c> cannot hold one).</returns>
    public async Task<Either<KlaviyoError, A>> Interpret(
        Func<
            RequestOperation,
            KlaviyoOptions,
            CancellationToken,
            Task<Either<KlaviyoError, KlaviyoResponse>>
        > send,
        Func<TimeSpan, KlaviyoOptions, CancellationToken, Task> wait,
        KlaviyoOptions options,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(wait);
        ArgumentNullException.ThrowIfNull(options);
        var outcome = await Runner
            .RunAsync(
                Step,
                (op, o, ct) => send(op, o, ct),
                (d, o, ct) => wait(d, o, ct),
                options,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (outcome.Error is not null)
            return outcome.Error;
        return outcome.Value is A value
            ? value
            : throw new InvalidOperationException(
                $"the program yielded null; an Either<KlaviyoError, {typeof(A).Name}> cannot hold it"
            );
    }

    /// <summary>
    /// The first step and how many continuations follow it, e.g.
    /// <c>Operation { send GET /api/profiles, then 2 step(s) }</c>. Never runs anything.
    /// </summary>
    public override string ToString()
    {
        // Walk down the left spine without recursion: a long chain must print in constant stack.
        var step = Step;
        var then = 0;
        while (step is ThenStep t)
        {
            then++;
            step = t.Source;
        }
        return then == 0
            ? $"Operation {{ {step.Describe()} }}"
            : $"Operation {{ {step.Describe()}, then {then} step(s) }}";
    }
}
