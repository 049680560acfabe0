using System.Reflection;
using BenchmarkDotNet.Attributes;
using LanguageExt;

namespace Klaviyo.Benchmarks;

/// <summary>
/// Validation of a generated operation, as <c>RequestBuilder.Build</c> runs it: the operation's own checks
/// (<c>RequestValidation.Operation</c>) plus its query against the catalog (<c>QueryRules.Check</c>, the catalog
/// compiled into lookups). Target (issue 16): at most 300 ns and 200 B. For comparison, the query check as it was
/// (<c>QueryValidation.Check</c>: scans of the catalog entry's LanguageExt <c>Seq</c>s), and the whole build. The
/// library opens its internals to no package, so the internal checks are called through delegates bound once by
/// reflection (a delegate call: a nanosecond or two, nothing allocated).
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private readonly KlaviyoOptions _options = new() { ApiKey = "pk_benchmark_key" };

    private readonly RequestOperation _pageSize = Profiles.GetProfiles(pageSize: 20);

    private readonly RequestOperation _many = Profiles.GetProfiles(
        fieldsProfile: new[] { "email", "first_name", "last_name", "created" },
        additionalFieldsProfile: new[] { "subscriptions" },
        sort: "-created",
        pageSize: 100
    );

    private static readonly Func<RequestOperation, Seq<string>> OperationChecks = Internal(
        "Klaviyo.RequestValidation",
        "Operation"
    );
    private static readonly Func<RequestOperation, Seq<string>> CompiledQueryChecks = Internal(
        "Klaviyo.QueryRules",
        "Check"
    );
    private static readonly Func<RequestOperation, Seq<string>> ScannedQueryChecks = Internal(
        "Klaviyo.QueryValidation",
        "Check"
    );

    private static Func<RequestOperation, Seq<string>> Internal(string type, string method) =>
        typeof(RequestOperation)
            .Assembly.GetType(type, throwOnError: true)!
            .GetMethod(
                method,
                BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic,
                [typeof(RequestOperation)]
            )!
            .CreateDelegate<Func<RequestOperation, Seq<string>>>();

    [GlobalSetup]
    public void Setup()
    {
        foreach (var op in new[] { _pageSize, _many })
            if (!Validate(op).IsEmpty || !ScannedQueryChecks(op).IsEmpty)
                throw new InvalidOperationException($"{op} should be valid");
    }

    // As RequestBuilder.Build combines them: an empty list of problems is not concatenated.
    private static Seq<string> Validate(RequestOperation op)
    {
        var problems = OperationChecks(op);
        var query = CompiledQueryChecks(op);
        return problems.IsEmpty ? query : problems + query;
    }

    [Benchmark(Description = "Validate GetProfiles(pageSize: 20)")]
    public Seq<string> ValidatePageSize() => Validate(_pageSize);

    [Benchmark(Description = "Validate GetProfiles(fields, additional-fields, sort, pageSize)")]
    public Seq<string> ValidateMany() => Validate(_many);

    [Benchmark(Description = "Before: QueryValidation.Check, GetProfiles(pageSize: 20)")]
    public Seq<string> ScanPageSize() => ScannedQueryChecks(_pageSize);

    [Benchmark(Description = "Build GetProfiles(pageSize: 20)")]
    public Either<KlaviyoError, KlaviyoRequest> BuildPageSize() => _pageSize.Build(_options);
}
