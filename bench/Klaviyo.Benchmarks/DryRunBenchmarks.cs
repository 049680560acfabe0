using BenchmarkDotNet.Attributes;
using LanguageExt;

namespace Klaviyo.Benchmarks;

/// <summary>
/// What a dry run costs per request, nothing on the wire: the schema-shaped answer
/// (<see cref="DryRunResponder.FromSchema"/>) to a list read with <c>page[size]</c> (<c>get_profiles</c>, the harness's
/// <c>dry-run</c> row), to a single-resource read (<c>get_catalog_item</c>, id from the path) and to a creation
/// (<c>create_list</c>, type from the body, a new id); the printed request (<see cref="DryRunInterpreter.Render"/>);
/// and the whole <c>ExecuteAsync</c> on <c>Interpreter.DryRun(TextWriter.Null)</c> and on a <see cref="StringWriter"/>
/// (emptied every 1,000 calls). Baseline: the smallest answer (<see cref="DryRunResponder.Minimal"/>) to the list read.
/// </summary>
[MemoryDiagnoser]
public class DryRunBenchmarks
{
    private readonly KlaviyoOptions _options = new() { ApiKey = "pk_benchmark_key" };
    private readonly DryRunResponder _schema = DryRunResponder.FromSchema();
    private readonly DryRunResponder _minimal = DryRunResponder.Minimal();
    private readonly StringWriter _printed = new();
    private KlaviyoRequest _list = null!;
    private KlaviyoRequest _one = null!;
    private KlaviyoRequest _create = null!;
    private DryRunInterpreter _toNull = null!;
    private DryRunInterpreter _toText = null!;
    private int _calls;

    [GlobalSetup]
    public void Setup()
    {
        _list = Build(Profiles.GetProfiles(pageSize: 20));
        _one = Build(Catalogs.GetCatalogItem("$custom:::$default:::SAMPLE-1"));
        _create = Build(
            Lists.CreateList(new { data = new { type = "list", attributes = new { name = "A" } } })
        );
        _toNull = Interpreter.DryRun(TextWriter.Null);
        _toText = Interpreter.DryRun(_printed);
    }

    private KlaviyoRequest Build(RequestOperation op) =>
        RequestBuilder
            .Build(op, _options)
            .Match(r => r, e => throw new InvalidOperationException(e.Message));

    [Benchmark(Baseline = true, Description = "Minimal answer, list read")]
    public RawResponse MinimalList() => _minimal.Respond(_list);

    [Benchmark(Description = "Schema answer, list read (get_profiles, page[size]=20)")]
    public RawResponse SchemaList() => _schema.Respond(_list);

    [Benchmark(Description = "Schema answer, one resource (get_catalog_item)")]
    public RawResponse SchemaOne() => _schema.Respond(_one);

    [Benchmark(Description = "Schema answer, creation (create_list)")]
    public RawResponse SchemaCreate() => _schema.Respond(_create);

    [Benchmark(Description = "Printed request (curl), list read")]
    public string RenderList() => DryRunInterpreter.Render(_list, DryRunFormat.Curl);

    [Benchmark(Description = "ExecuteAsync, list read, printed to TextWriter.Null")]
    public Either<KlaviyoError, RawResponse> ExecuteToNull() =>
        _toNull.ExecuteAsync(_list, CancellationToken.None).Result;

    [Benchmark(Description = "ExecuteAsync, list read, printed to a StringWriter")]
    public Either<KlaviyoError, RawResponse> ExecuteToText()
    {
        if (++_calls % 1000 == 0)
            _printed.GetStringBuilder().Clear();
        return _toText.ExecuteAsync(_list, CancellationToken.None).Result;
    }
}
