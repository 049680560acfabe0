using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo.Benchmarks;

/// <summary>
/// Prints time and bytes allocated per call for each stage of a send, of a replay lookup and of a fixture load, to
/// see where the time and allocations of the BenchmarkDotNet figures go. Everything here completes synchronously
/// on one thread (the interpreters answer at once), so the allocation counts are exact; times are the median of
/// five rounds and only indicative.
/// </summary>
public static class AllocationProbe
{
    public static int Run(string[] args)
    {
        var loop = System.Array.IndexOf(args, "--loop");
        if (loop >= 0)
            return Loop(args[loop + 1]);
        var options = new KlaviyoOptions { ApiKey = "pk_probe" };
        var get = new RequestOperation(HttpMethod.Get, "/api/profiles");
        var getQuery = get with
        {
            Query = Seq(
                ("filter", "equals(email,\"ada@example.com\")"),
                ("fields[profile]", "email,first_name,last_name"),
                ("page[size]", "100")
            ),
        };
        var request = Build(get, options);
        var small = new RawResponse(
            200,
            Seq1(("content-type", MediaTypes.JsonApi)),
            """{"data":[],"links":{"self":"https://a.klaviyo.com/api/profiles","next":null}}"""u8.ToArray()
        );
        var page = new RawResponse(
            200,
            Seq(
                ("Date", "Tue, 08 Nov 2022 00:00:00 GMT"),
                ("Content-Type", MediaTypes.JsonApi),
                ("Content-Length", "2000")
            ),
            Encoding.UTF8.GetBytes(
                "{\"data\":["
                    + string.Join(
                        ",",
                        Enumerable
                            .Range(0, 8)
                            .Select(i =>
                                $"{{\"type\":\"profile\",\"id\":\"01GDDKASAP8TKDDA2GRZDSVP{i:D2}\",\"attributes\":{{\"email\":\"person{i}@example.com\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"created\":\"2022-11-08T00:00:00+00:00\"}},\"links\":{{\"self\":\"https://a.klaviyo.com/api/profiles/{i}/\"}}}}"
                            )
                    )
                    + "],\"links\":{\"self\":\"https://a.klaviyo.com/api/profiles/\",\"next\":null}}"
            )
        );
        var bare = options with { Client = new ImmediateInterpreter(small) };
        var stub = options with { Client = Interpreter.Stub(_ => StubResponse.Raw(small)) };
        var oneStep = Operation.Send(get);

        Console.WriteLine("| stage | ns/call | B/call |");
        Console.WriteLine("|---|---:|---:|");
        Report("build GET, no query", () => RequestBuilder.Build(get, options));
        Report("build GET + 3 query parameters", () => RequestBuilder.Build(getQuery, options));
        Report(
            "classify ~80 B JSON body",
            () => ResponseClassifier.Classify(small, SystemTextJsonCodec.Default, request.Secrets)
        );
        Report(
            "classify ~2 KB JSON body, 3 headers",
            () => ResponseClassifier.Classify(page, SystemTextJsonCodec.Default, request.Secrets)
        );
        Report(
            "interpreter.ExecuteAsync, immediate interpreter",
            () => bare.Client!.ExecuteAsync(request, default).GetAwaiter().GetResult()
        );
        Report(
            "op.SendAsync, immediate interpreter",
            () => get.SendAsync(bare).GetAwaiter().GetResult()
        );
        Report(
            "one-step program RunAsync, immediate interpreter",
            () => oneStep.RunAsync(bare).GetAwaiter().GetResult()
        );
        Report(
            "stub.ExecuteAsync (Interpreter.Stub(respond))",
            () => stub.Client!.ExecuteAsync(request, default).GetAwaiter().GetResult(),
            n: 2_000
        );
        Report(
            "op.SendAsync, Interpreter.Stub(respond)",
            () => get.SendAsync(stub).GetAwaiter().GetResult(),
            n: 2_000
        );

        // The call the harness measures, with the live transport replaced by one that answers the same 2 KB page at
        // once: what the library adds around the transport, stage by stage.
        var pageOptions = options with
        {
            Client = new ImmediateInterpreter(page),
        };
        Report(
            "Profiles.GetProfiles(pageSize: 20): the operation value",
            () => Profiles.GetProfiles(pageSize: 20)
        );
        var generated = Profiles.GetProfiles(pageSize: 20);
        Report(
            "build Profiles.GetProfiles(pageSize: 20)",
            () => RequestBuilder.Build(generated, options)
        );
        Either<KlaviyoError, KlaviyoResponse> SendPage() =>
            Profiles.GetProfiles(pageSize: 20).SendAsync(pageOptions).GetAwaiter().GetResult();
        Report(
            "GetProfiles(pageSize: 20).SendAsync, immediate 2 KB page, status only",
            () => SendPage()
        );
        Report(
            "GetProfiles(pageSize: 20).SendAsync, immediate 2 KB page, response.Json read",
            () => SendPage().Map(r => r.Json.Map(j => j.GetProperty("data").GetArrayLength()))
        );
        Report(
            "GetProfiles(pageSize: 20).SendAsync, immediate 2 KB page, ReadJson",
            () => SendPage().Map(r => r.ReadJson(j => j.GetProperty("data").GetArrayLength()))
        );

        ReplayStages(options);
        return 0;
    }

    private static void ReplayStages(KlaviyoOptions options)
    {
        var directory = Path.Combine(
            Path.GetTempPath(),
            "klaviyo-probe-" + Guid.NewGuid().ToString("N")
        );
        Directory.CreateDirectory(directory);
        try
        {
            var path = Path.Combine(directory, "profiles.json");
            ReplayBenchmarks.Record(path, options);
            var fixtureOptions = new FixtureOptions { AllowPlaybackRepeats = true };
            using var replay = Interpreter.Replay(path, fixtureOptions);
            var known = RequestBuilder
                .Build(
                    PathTemplate.Operation(
                        HttpMethod.Get,
                        "/api/profiles/{id}",
                        "01GDDKASAP8TKDDA2G00005007"
                    ) with
                    {
                        Query = Seq(
                            ("fields[profile]", "email,first_name,last_name,properties"),
                            ("additional-fields[profile]", "subscriptions"),
                            ("include", "lists")
                        ),
                    },
                    options
                )
                .Match(r => r, e => throw new InvalidOperationException(e.Message));
            var rules = fixtureOptions.RedactionRules;
            Report("replay: request.Redact(rules)", () => known.Redact(rules));
            Report(
                "replay: request.RedactedTarget(rules) (what the key is made from)",
                () => known.RedactedTarget(rules)
            );
            var replayer = new FixtureReplayer(
                FixtureFile.Read(File.ReadAllBytes(path), path),
                fixtureOptions,
                path
            );
            Report("replay: FixtureReplayer.Play (key and lookup)", () => replayer.Play(known));
            Report(
                "replay: FixtureInterpreter.ExecuteAsync (whole lookup)",
                () => replay.ExecuteAsync(known, default).GetAwaiter().GetResult()
            );

            var bytes = File.ReadAllBytes(path);
            Report("load: File.ReadAllBytes", () => File.ReadAllBytes(path), n: 5, warmup: 1);
            Report(
                "load: JsonDocument.Parse (comments skipped)",
                () =>
                    JsonDocument.Parse(
                        bytes.AsMemory(),
                        new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }
                    ),
                n: 5,
                warmup: 1
            );
            Report(
                "load: FixtureFile.Read (interactions from the bytes)",
                () => FixtureFile.Read(bytes, path),
                n: 5,
                warmup: 1
            );
            var interactions = FixtureFile.Read(bytes, path);
            Report(
                "load: new FixtureReplayer(interactions) (keys and index)",
                () => new FixtureReplayer(interactions, fixtureOptions, path),
                n: 5,
                warmup: 1
            );
            Report(
                "load: Interpreter.Replay(path) (whole load)",
                () => Interpreter.Replay(path, fixtureOptions).Dispose(),
                n: 5,
                warmup: 1
            );
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Runs one workload for 20 seconds, for a profiler to sample (e.g. <c>dotnet-trace collect --profile
    /// dotnet-sampled-thread-time -- dotnet Klaviyo.Benchmarks.dll alloc --loop load</c>): <c>load</c> (the
    /// 10,000-interaction fixture), <c>lookup</c> (replay lookups) or <c>step</c> (send steps on a stub).
    /// </summary>
    private static int Loop(string what)
    {
        var options = new KlaviyoOptions { ApiKey = "pk_probe" };
        var directory = Path.Combine(
            Path.GetTempPath(),
            "klaviyo-probe-" + Guid.NewGuid().ToString("N")
        );
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "profiles.json");
        try
        {
            Action work;
            var fixtureOptions = new FixtureOptions { AllowPlaybackRepeats = true };
            switch (what)
            {
                case "load":
                    ReplayBenchmarks.Record(path, options);
                    work = () => Interpreter.Replay(path, fixtureOptions).Dispose();
                    break;
                case "lookup":
                    ReplayBenchmarks.Record(path, options);
                    var replay = Interpreter.Replay(path, fixtureOptions);
                    var known = ReplayBenchmarks.Request(5007, options);
                    work = () => replay.ExecuteAsync(known, default).GetAwaiter().GetResult();
                    break;
                case "step":
                    var send = Operation.Send(
                        new RequestOperation(HttpMethod.Get, "/api/profiles")
                    );
                    var program = send;
                    for (var i = 1; i < 1000; i++)
                        program = program.Bind(_ => send);
                    var answer = StubResponse.Status(200, "{\"data\":[]}");
                    work = () =>
                        program
                            .RunAsync(options with { Client = Interpreter.Stub(_ => answer) })
                            .GetAwaiter()
                            .GetResult();
                    break;
                default:
                    Console.Error.WriteLine("--loop load|lookup|step");
                    return 2;
            }
            var clock = Stopwatch.StartNew();
            var n = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                work();
                n++;
            }
            Console.WriteLine(
                $"{what}: {n} runs, {clock.Elapsed.TotalMilliseconds * 1000 / n:0.0} µs each"
            );
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static KlaviyoRequest Build(RequestOperation operation, KlaviyoOptions options) =>
        RequestBuilder
            .Build(operation, options)
            .Match(r => r, e => throw new InvalidOperationException(e.Message));

    private static void Report(string name, Action action, int n = 20_000, int warmup = 2_000)
    {
        for (var i = 0; i < warmup; i++)
            action();
        var times = new List<double>();
        long bytes = 0;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
                action();
            clock.Stop();
            bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / n;
            times.Add(clock.Elapsed.TotalNanoseconds / n);
        }
        times.Sort();
        var ns = times[2];
        var shown = ns >= 1_000_000 ? $"{ns / 1_000_000:0.0} ms" : $"{ns:0}";
        Console.WriteLine($"| {name} | {shown} | {bytes} |");
    }

    /// <summary>Answers every request with the same completed task: no matching, no bookkeeping.</summary>
    private sealed class ImmediateInterpreter(RawResponse answer) : IInterpreter
    {
        private readonly Task<Either<KlaviyoError, RawResponse>> _answer = Task.FromResult(
            Right<KlaviyoError, RawResponse>(answer)
        );

        public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        ) => _answer;
    }
}
