using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo.Benchmarks;

/// <summary>
/// Replay from a fixture of <see cref="Interactions"/> recorded interactions (written in the global setup by recording
/// GETs of distinct profiles, each with three query parameters and a ~700-byte JSON:API answer, through
/// <c>Interpreter.Record</c> over a stub). Targets: a lookup (<c>ExecuteAsync</c> of a known request on
/// <c>Interpreter.Replay(path, AllowPlaybackRepeats)</c>) at most 2 µs; loading the fixture at most 200 ms. Two
/// baselines measured in the same run put those in proportion on a machine of any speed: redacting the request whole
/// (what a lookup used to do before anything else), and reading and parsing the file (what any load must do).
/// </summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    public const int Interactions = 10_000;
    private const int Distinct = 1000;

    private static readonly FixtureOptions Repeats = new() { AllowPlaybackRepeats = true };
    private static readonly RedactionRules Rules = Repeats.RedactionRules;
    private readonly KlaviyoOptions _options = new() { ApiKey = "pk_benchmark_key" };
    private string _directory = null!;
    private string _path = null!;
    private FixtureInterpreter _replay = null!;
    private KlaviyoRequest _known = null!;
    private KlaviyoRequest[] _many = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(
            Path.GetTempPath(),
            "klaviyo-bench-" + Guid.NewGuid().ToString("N")
        );
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "profiles.json");
        var clock = Stopwatch.StartNew();
        Record(_path, _options);
        Console.WriteLine(
            $"// fixture: {Interactions} interactions, {new FileInfo(_path).Length / 1024} KiB, recorded in {clock.ElapsedMilliseconds} ms"
        );

        _replay = Interpreter.Replay(_path, Repeats);
        _known = Request(Interactions / 2 + 7, _options);
        _many = Enumerable
            .Range(0, Distinct)
            .Select(i => Request(i * (Interactions / Distinct) + 3, _options))
            .ToArray();
        // Every lookup below must find its answer; a miss would be measuring the error path.
        foreach (var request in _many.Append(_known))
            if (_replay.ExecuteAsync(request, default).GetAwaiter().GetResult().IsLeft)
                throw new InvalidOperationException($"the fixture does not answer {request}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _replay.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "Replay lookup, one known request")]
    public Task<Either<KlaviyoError, RawResponse>> LookupOne() =>
        _replay.ExecuteAsync(_known, CancellationToken.None);

    [Benchmark(
        Description = "Replay lookup, 1,000 different known requests",
        OperationsPerInvoke = Distinct
    )]
    public async Task<int> LookupMany()
    {
        var found = 0;
        foreach (var request in _many)
            if ((await _replay.ExecuteAsync(request, CancellationToken.None)).IsRight)
                found++;
        return found;
    }

    [Benchmark(Description = "Baseline: request.Redact(rules), the whole redacted copy")]
    public KlaviyoRequest RedactWhole() => _known.Redact(Rules);

    [Benchmark(Description = "Baseline: read the fixture's bytes and parse them (JsonDocument)")]
    public int ReadAndParse()
    {
        using var document = System.Text.Json.JsonDocument.Parse(
            File.ReadAllBytes(_path),
            new System.Text.Json.JsonDocumentOptions
            {
                CommentHandling = System.Text.Json.JsonCommentHandling.Skip,
            }
        );
        return document.RootElement.GetProperty("interactions").GetArrayLength();
    }

    [Benchmark(Description = "Load a 10,000-interaction fixture")]
    public int Load()
    {
        using var replay = Interpreter.Replay(_path, Repeats);
        return replay.Count;
    }

    /// <summary>The request for profile <paramref name="i"/>, as the recording sent it.</summary>
    internal static KlaviyoRequest Request(int i, KlaviyoOptions options) =>
        RequestBuilder
            .Build(Operation(i), options)
            .Match(r => r, e => throw new InvalidOperationException(e.Message));

    private static RequestOperation Operation(int i) =>
        PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", Id(i)) with
        {
            Query = Seq(
                ("fields[profile]", "email,first_name,last_name,properties"),
                ("additional-fields[profile]", "subscriptions"),
                ("include", "lists")
            ),
        };

    private static string Id(int i) => $"01GDDKASAP8TKDDA2G{i:D8}";

    /// <summary>Records <see cref="Interactions"/> exchanges with a stub to <paramref name="path"/>.</summary>
    internal static void Record(string path, KlaviyoOptions options)
    {
        var stub = Interpreter.Stub(request =>
        {
            var id = request.Url[(request.Url.LastIndexOf('/') + 1)..request.Url.IndexOf('?')];
            return StubResponse.Status(
                200,
                """{"data":{"type":"profile","id":"@ID","attributes":{"email":"@ID@example.com","phone_number":"+15005550006","first_name":"Ada","last_name":"Lovelace","organization":"Analytical Engines Ltd","properties":{"source":"benchmark"},"subscriptions":{"email":{"marketing":{"can_receive_email_marketing":true,"consent":"SUBSCRIBED"}}}},"relationships":{"lists":{"data":[{"type":"list","id":"L@ID"}]}},"links":{"self":"https://a.klaviyo.com/api/profiles/@ID/"}}}""".Replace(
                    "@ID",
                    id
                ),
                headers: [("x-request-id", id)]
            );
        });
        using var recorder = Interpreter.Record(stub, path, RecordMode.All);
        var recording = options with { Client = recorder };
        for (var i = 0; i < Interactions; i++)
        {
            var sent = Operation(i).SendAsync(recording).GetAwaiter().GetResult();
            if (sent.IsLeft)
                throw new InvalidOperationException("recording failed: " + sent);
        }
    }
}
