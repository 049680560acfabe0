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
    ) =>
        new(operation.Method, p.Origin, RequestUrl.Path(p.BasePath, operation.Path))
        {
            Query = operation.Query,
            Headers = h.Headers,
            Authorization = h.Authorization,
            Content = body.Content,
            OperationId = operation.OperationId,
            Timeout = options.ClientOptions.Timeout,
            MaxResponseBytes = options.ClientOptions.MaxResponseBytes,
            Secrets = Secrets(p, operation, h, body.Secrets),
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
