using System.Runtime.CompilerServices;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Turns an operation plus options into a concrete <see cref="KlaviyoRequest"/>
/// (<see cref="RequestOperation.Build"/>): URL (<see cref="RequestUrl"/>), headers and credential
/// (<see cref="RequestHeaders"/>), body (<see cref="BodyEncoding"/>), each checked (<see cref="RequestValidation"/>,
/// <see cref="QueryValidation"/>), every problem collected. Pure: no I/O, no clock.
/// </summary>
internal static class RequestBuilder
{
    /// <summary>Builds the concrete request, or a <see cref="KlaviyoError.Validation"/> naming every problem.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="options">The options.</param>
    public static Either<KlaviyoError, KlaviyoRequest> Build(
        RequestOperation operation,
        KlaviyoOptions options
    )
    {
        var prepared = Prepare(options);
        // An operation with no headers and no body of its own (most GETs and DELETEs) gets headers, credential and
        // secrets that depend on the options alone: worked out once per options instance, and shared.
        if (
            operation.Body is RequestBody.Empty
            && operation.Headers.IsEmpty
            && operation.Secrets.IsEmpty
            && prepared.Problems.IsEmpty
        )
        {
            var plain = prepared.Plain(operation.SendCredentials, options);
            var problems = Both(
                RequestValidation.Operation(operation),
                QueryRules.Check(operation)
            );
            if (problems.IsEmpty && plain.Problems.IsEmpty)
                return Right<KlaviyoError, KlaviyoRequest>(
                    Request(
                        operation,
                        options,
                        prepared,
                        RequestContent.None,
                        plain.Headers,
                        plain.Secrets
                    )
                );
        }
        return BuildInFull(operation, options, prepared);
    }

    /// <summary>
    /// <see cref="Build"/> without its shortcut for operations with no headers, body or secrets of their own: every
    /// part worked out for this call. The two give the same request, or the same error (tests hold them to it).
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="options">The options.</param>
    internal static Either<KlaviyoError, KlaviyoRequest> BuildInFull(
        RequestOperation operation,
        KlaviyoOptions options
    ) => BuildInFull(operation, options, Prepare(options));

    private static Either<KlaviyoError, KlaviyoRequest> BuildInFull(
        RequestOperation operation,
        KlaviyoOptions options,
        Prepared prepared
    )
    {
        var hasContent = operation.Body is not RequestBody.Empty;
        var headers = RequestHeaders.For(operation, options, hasContent);
        var operationProblems = Both(
            RequestValidation.Operation(operation),
            QueryRules.Check(operation)
        );
        var encoded = RequestBodyCheck.Checked(
            operation,
            BodyEncoding.Encode(operation.Body, options.JsonCodec)
        );
        var headerProblems = RequestValidation.Headers(headers, options);
        // Nothing wrong (the usual case): the request at once, without the applicative's tuples and closures.
        if (
            prepared.Problems.IsEmpty
            && operationProblems.IsEmpty
            && headerProblems.IsEmpty
            && encoded.IsSuccess
        )
            return Right<KlaviyoError, KlaviyoRequest>(
                Request(
                    operation,
                    options,
                    prepared,
                    encoded.Match(static body => body, static _ => default),
                    headers
                )
            );
        return (
            Valid(prepared.Problems, prepared),
            Valid(operationProblems, unit),
            encoded,
            Valid(headerProblems, headers)
        )
            .Apply((p, _, body, h) => Request(operation, options, p, body, h))
            .Match(
                request => Right<KlaviyoError, KlaviyoRequest>(request),
                problems => Invalid(problems, options, operation)
            );
    }

    private static KlaviyoRequest Request(
        RequestOperation operation,
        KlaviyoOptions options,
        Prepared p,
        (RequestContent Content, Seq<Secret> Secrets) body,
        BuiltHeaders h
    ) => Request(operation, options, p, body.Content, h, Secrets(p, operation, h, body.Secrets));

    private static KlaviyoRequest Request(
        RequestOperation operation,
        KlaviyoOptions options,
        Prepared p,
        RequestContent content,
        BuiltHeaders h,
        Seq<Secret> secrets
    ) =>
        new(operation.Method, p.Origin, RequestUrl.Path(p.BasePath, operation.Path))
        {
            Query = operation.Query,
            Headers = h.Headers,
            Authorization = h.Authorization,
            Content = content,
            OperationId = operation.OperationId,
            Timeout = options.ClientOptions.Timeout,
            MaxResponseBytes = options.ClientOptions.MaxResponseBytes,
            Secrets = secrets,
            IsIdempotent = Idempotency.Of(operation),
            RequiresCredentials = operation.SendCredentials,
        };

    // Seq concatenation allocates even when a side is empty; a build with no problems should not pay for it.
    private static Seq<string> Both(Seq<string> first, Seq<string> second) =>
        first.IsEmpty ? second
        : second.IsEmpty ? first
        : first + second;

    private static Validation<string, T> Valid<T>(Seq<string> problems, T value) =>
        problems.IsEmpty ? Success<string, T>(value) : Validation<string, T>.Fail(problems);

    private static Seq<Secret> Secrets(
        Prepared prepared,
        RequestOperation operation,
        BuiltHeaders headers,
        Seq<Secret> inBody
    )
    {
        var secrets = prepared.Secrets;
        if (headers.Authorization is { } credential && !secrets.Exists(s => s.Equals(credential)))
            secrets = secrets.Add(credential);
        return operation.Secrets.IsEmpty && inBody.IsEmpty
            ? secrets
            : secrets + operation.Secrets + inBody;
    }

    private static Either<KlaviyoError, KlaviyoRequest> Invalid(
        Seq<string> problems,
        KlaviyoOptions options,
        RequestOperation operation
    ) =>
        new KlaviyoError.Validation(
            problems.Map(p => Redaction.Scrub(p, options.Secrets + operation.Secrets))
        )
        {
            Attempts = 0,
        };

    // Everything that depends on the options alone is worked out once per options instance (they are immutable).
    private sealed record Prepared(
        Seq<string> Problems,
        string Origin,
        string BasePath,
        Seq<Secret> Secrets
    )
    {
        private PlainParts? _withCredentials;
        private PlainParts? _withoutCredentials;

        /// <summary>
        /// The headers, their problems and the secrets of a request for an operation with no headers, no body and
        /// no secrets of its own: they depend on the options alone (and on whether credentials are sent).
        /// </summary>
        public PlainParts Plain(bool sendCredentials, KlaviyoOptions options)
        {
            // Worked out at most a few times under a race, always to the same value: no lock needed.
            ref var slot = ref sendCredentials ? ref _withCredentials : ref _withoutCredentials;
            return slot ??= PlainUncached(sendCredentials, options);
        }

        private PlainParts PlainUncached(bool sendCredentials, KlaviyoOptions options)
        {
            var operation = new RequestOperation(HttpMethod.Get, "/")
            {
                SendCredentials = sendCredentials,
            };
            var headers = RequestHeaders.For(operation, options, hasContent: false);
            return new PlainParts(
                headers,
                RequestValidation.Headers(headers, options),
                RequestBuilder.Secrets(this, operation, headers, Seq<Secret>())
            );
        }
    }

    private sealed record PlainParts(
        BuiltHeaders Headers,
        Seq<string> Problems,
        Seq<Secret> Secrets
    );

    private static readonly ConditionalWeakTable<KlaviyoOptions, Prepared> PreparedByOptions =
        new();

    private static Prepared Prepare(KlaviyoOptions options) =>
        PreparedByOptions.TryGetValue(options, out var prepared)
            ? prepared
            : PreparedByOptions.GetValue(options, PrepareUncached);

    private static Prepared PrepareUncached(KlaviyoOptions options)
    {
        var problems = RequestValidation.Options(options);
        return new Prepared(
            problems,
            problems.IsEmpty ? RequestUrl.Origin(options) : "",
            RequestUrl.BasePath(options),
            options.Secrets
        );
    }
}
