using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// An interpreter for unit tests that answers from rules instead of the network, in the manner of sttp's stub
/// backend. Each request is matched against the rules in the order they were added; the first match answers. Every
/// request is counted in <see cref="CallCount"/> and recorded in <see cref="Calls"/> (all of them unless
/// <see cref="KeepCalls"/> says fewer). A request no rule matches fails with a <see cref="KlaviyoError.Validation"/>
/// naming it (method and URL, secrets masked) and listing the rules.
/// </summary>
/// <example><code>
/// var stub = Interpreter.Stub()
///     .When(HttpMethod.Get, "/api/profiles/{id}").Respond(200, """{"data":{"type":"profile","id":"p1"}}""")
///     .When(HttpMethod.Post, "/api/events").Respond(StubResponse.Status(503), StubResponse.Status(202))
///     .When(HttpMethod.Get, "/api/lists").Fail("connection refused");
/// var options = new KlaviyoOptions { ApiKey = "pk_test", Client = stub };
/// </code></example>
public sealed class StubInterpreter : IInterpreter
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = [];

    // The rules as an array, replaced (never changed) when a rule is added: a call reads it without copying.
    private volatile Rule[] _snapshot = [];
    private readonly Queue<KlaviyoRequest> _calls = [];

    // How many of the latest requests Calls keeps (int.MaxValue: all); read without the lock when it is 0.
    private volatile int _keep = int.MaxValue;
    private long _callCount;

    internal StubInterpreter() { }

    /// <summary>
    /// The requests this interpreter received and keeps, in arrival order (a snapshot; safe across threads): every
    /// one by default, the latest ones only after <see cref="KeepCalls"/>.
    /// </summary>
    public IReadOnlyList<KlaviyoRequest> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    /// <summary>
    /// How many requests this interpreter received (matched or not), whether or not <see cref="Calls"/> keeps them.
    /// </summary>
    public long CallCount => Interlocked.Read(ref _callCount);

    /// <summary>
    /// Keeps only the latest <paramref name="limit"/> requests in <see cref="Calls"/> (0: none), dropping older ones
    /// now and as new ones arrive; <see cref="CallCount"/> still counts every request. For a stub answering many
    /// requests (a long program, a load test, a benchmark), so that it does not hold on to every request it saw.
    /// </summary>
    /// <example><code>
    /// var stub = Interpreter.Stub(_ => StubResponse.Status(200, "{}")).KeepCalls(0);
    /// </code></example>
    /// <param name="limit">How many of the latest requests to keep; 0 or more.</param>
    /// <returns>This interpreter.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public StubInterpreter KeepCalls(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_gate)
        {
            _keep = limit;
            while (_calls.Count > limit)
                _calls.Dequeue();
        }
        return this;
    }

    /// <summary>
    /// Starts a rule for requests with <paramref name="method"/> whose URL path is <paramref name="path"/>. The path
    /// is the full path of the URL, without query (so it includes <see cref="KlaviyoOptions.Path"/>), compared
    /// as sent (percent-encoded); a segment written <c>{name}</c> matches any one segment.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path, e.g. <c>/api/profiles</c> or <c>/api/profiles/{id}</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> has a query or does not start with <c>/</c>.</exception>
    public StubRule When(HttpMethod method, string path) => When(method, path, null);

    /// <summary>
    /// Starts a rule for requests with <paramref name="method"/> and <paramref name="path"/> (as in
    /// <see cref="When(HttpMethod, string)"/>) that also satisfy <paramref name="predicate"/>, e.g. on the query.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path, without query.</param>
    /// <param name="predicate">A further condition on the request; <c>null</c> for none.</param>
    public StubRule When(HttpMethod method, string path, Func<KlaviyoRequest, bool>? predicate)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/') || path.Contains('?') || path.Contains('#'))
            throw new ArgumentException(
                $"a stub path starts with '/' and has no query or fragment, not '{path}'; match the query with a predicate",
                nameof(path)
            );
        var pattern = path.Split('/');
        var description = $"{method} {path}" + (predicate is null ? "" : " (with a predicate)");
        return new StubRule(
            this,
            description,
            r =>
                r.Method == method
                && PathMatches(pattern, r.Path)
                && (predicate is null || predicate(r))
        );
    }

    /// <summary>Starts a rule for requests satisfying <paramref name="predicate"/>.</summary>
    /// <param name="predicate">The condition.</param>
    /// <param name="description">How the rule is listed when a request is unstubbed.</param>
    public StubRule When(
        Func<KlaviyoRequest, bool> predicate,
        string description = "requests matching a predicate"
    )
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new StubRule(this, description, predicate);
    }

    /// <summary>Starts a rule for every request (add it last, as a fallback).</summary>
    public StubRule WhenAny() => new(this, "any request", _ => true);

    /// <inheritdoc />
    public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        // Not an async method: a rule that answers at once (every rule but RespondWith with a task) answers with a
        // completed task, the same one each time for the same answer. Failures still come back as a faulted task.
        try
        {
            ArgumentNullException.ThrowIfNull(request);
            Interlocked.Increment(ref _callCount);
            if (_keep > 0)
                Keep(request);
            var rules = _snapshot;
            Rule? rule = null;
            foreach (var candidate in rules)
                if (candidate.Matches(request))
                {
                    rule = candidate;
                    break;
                }
            if (rule is null)
                return Task.FromResult<Either<KlaviyoError, RawResponse>>(
                    Unstubbed(request, rules)
                );
            if (rule.Answer is { } answer)
                return rule.Reply(answer(request), request);
            return Answered(rule.Respond(request, cancellationToken), request);
        }
        catch (Exception e)
        {
            return Task.FromException<Either<KlaviyoError, RawResponse>>(e);
        }
    }

    private void Keep(KlaviyoRequest request)
    {
        lock (_gate)
        {
            if (_calls.Count >= _keep)
            {
                if (_keep == 0)
                    return;
                _calls.Dequeue();
            }
            _calls.Enqueue(request);
        }
    }

    private static async Task<Either<KlaviyoError, RawResponse>> Answered(
        Task<StubResponse> answer,
        KlaviyoRequest request
    ) => (await answer.ConfigureAwait(false)).ToResult(request);

    /// <summary>The rules, in matching order.</summary>
    public override string ToString()
    {
        lock (_gate)
            return $"StubInterpreter {{ {Describe(_rules)} }}";
    }

    internal StubInterpreter Add(Rule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
            _snapshot = _rules.ToArray();
        }
        return this;
    }

    private static KlaviyoError Unstubbed(KlaviyoRequest request, IReadOnlyList<Rule> rules) =>
        new KlaviyoError.Validation(
            Prelude.Seq1(
                $"no stub rule matches {request.Method} {request.Redact().Url}; {Describe(rules)}"
            )
        )
        {
            Attempts = 0,
        };

    private static string Describe(IReadOnlyList<Rule> rules)
    {
        if (rules.Count == 0)
            return "no rules";
        var sb = new StringBuilder("rules: ");
        for (var i = 0; i < rules.Count; i++)
            sb.Append(i == 0 ? "" : ", ").Append(i + 1).Append(". ").Append(rules[i].Description);
        return sb.ToString();
    }

    private static bool PathMatches(string[] pattern, string path)
    {
        var segments = path.Split('/');
        if (segments.Length != pattern.Length)
            return false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var p = pattern[i];
            var isParameter = p.Length > 2 && p[0] == '{' && p[^1] == '}';
            if (
                isParameter
                    ? segments[i].Length == 0
                    : !p.Equals(segments[i], StringComparison.Ordinal)
            )
                return false;
        }
        return true;
    }

    internal sealed record Rule(
        string Description,
        Func<KlaviyoRequest, bool> Matches,
        Func<KlaviyoRequest, CancellationToken, Task<StubResponse>> Respond
    )
    {
        // The last answer given and its task: a rule answering the same response again replays the same task.
        private Replied? _last;

        private sealed record Replied(
            StubResponse Response,
            Task<Either<KlaviyoError, RawResponse>> Task
        );

        /// <summary>The answer at once, when the rule has one (it does not wait for anything).</summary>
        public Func<KlaviyoRequest, StubResponse>? Answer { get; init; }

        /// <summary>The task answering <paramref name="response"/> to <paramref name="request"/>.</summary>
        public Task<Either<KlaviyoError, RawResponse>> Reply(
            StubResponse response,
            KlaviyoRequest request
        )
        {
            if (response is not StubResponse.Answer)
                // Failures name the request (scrubbed of its secrets): made for each request.
                return System.Threading.Tasks.Task.FromResult(response.ToResult(request));
            var last = _last;
            if (last is not null && ReferenceEquals(last.Response, response))
                return last.Task;
            var task = System.Threading.Tasks.Task.FromResult(response.ToResult(request));
            _last = new Replied(response, task);
            return task;
        }
    }
}
