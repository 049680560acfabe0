using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Klaviyo.Codegen;
using Klaviyo.Models;

namespace Klaviyo.Benchmarks;

/// <summary>
/// Decoding a 100-profile <c>get_profiles</c> page (synthesized from the spec's schema and member examples, about
/// 390 KB: every profile carries its subscriptions and predictive analytics): into a <see cref="JsonElement"/> as the library parses response bodies today,
/// versus into the generated records with <see cref="ModelJson.Decode{T}(ReadOnlyMemory{byte})"/>. The "read every
/// email" rows add what a caller does next, so the typed row is compared with equivalent work.
/// </summary>
[MemoryDiagnoser]
public class ModelDecodeBenchmarks
{
    private ReadOnlyMemory<byte> _page;

    [GlobalSetup]
    public void Setup()
    {
        var repository =
            Generator.FindRepository(AppContext.BaseDirectory)
            ?? Generator.FindRepository(Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException("Klaviyo.sln not found");
        var spec = Environment.GetEnvironmentVariable("KLAVIYO_OPENAPI_SPEC") is { Length: > 0 } env
            ? env
            : Generator.DefaultSpecPath(repository);
        using var doc = JsonDocument.Parse(File.ReadAllText(spec));
        var example = new ExampleSynthesizer(doc.RootElement).Of(
            "GetProfileResponsePluralConversationsCollectionCompoundDocument",
            items: 100
        );
        _page = Encoding.UTF8.GetBytes(example.Json.ToJsonString());
    }

    [Benchmark(Baseline = true, Description = "JsonElement (JsonDocument.Parse)")]
    public JsonElement IntoJsonElement() => JsonDocument.Parse(_page).RootElement;

    [Benchmark(Description = "Typed records (ModelJson.Decode)")]
    public GetProfileResponsePluralConversationsCollectionCompoundDocument IntoRecords() =>
        ModelJson
            .Decode<GetProfileResponsePluralConversationsCollectionCompoundDocument>(_page)
            .IfLeft(e => throw new InvalidOperationException(e.Message));

    [Benchmark(Description = "JsonElement, then read every email")]
    public int JsonElementEmails()
    {
        var n = 0;
        foreach (
            var p in JsonDocument.Parse(_page).RootElement.GetProperty("data").EnumerateArray()
        )
            n += p.GetProperty("attributes").GetProperty("email").GetString()!.Length;
        return n;
    }

    [Benchmark(Description = "Typed records, then read every email")]
    public int RecordEmails()
    {
        var n = 0;
        foreach (var p in IntoRecords().Data)
            n += p.Attributes.Email!.Length;
        return n;
    }
}
