using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Flurl.Http;
using LanguageExt;

namespace Klaviyo.Benchmarks;

/// <summary>
/// The two-process loopback harness (issue 16): a Kestrel stand-in for <c>GET /api/profiles</c> in its own process
/// (bench/Klaviyo.Bench.Server, ~2.2 KB JSON:API page), the client rows in this one; with <c>taskset</c> and two or
/// more cores the server runs on CPU 0 and this process re-executes itself on CPU 1. Rows run in interleaved rounds
/// (the order rotates each round); each round gives every row a rate, and a row's ratio is the median over rounds
/// of its rate divided by the floor's (or FL's) rate in the same round. Bytes per request are
/// <c>GC.GetTotalAllocatedBytes(precise: true)</c> over the row's requests (this process only); CPU per request is
/// this process's processor time over them. The <c>node</c> row is the official Node SDK (<see cref="NodeSdk"/>) in
/// its own process on the client's CPU; its bytes are not comparable and are not reported, its CPU time is the
/// Node process's own, and the "÷ node" column is each row's rate over the Node SDK's in the same round.
/// </summary>
public static class Harness
{
    private const string PinnedMarker = "KLAVIYO_HARNESS_PINNED";

    // A row runs in this process (Run), or elsewhere and reports its own sample (External); Skipped says why a
    // row that cannot run here is left out.
    private sealed record Row(
        string Name,
        string Description,
        Func<Task>? Run,
        Func<int, int, Task<Sample>>? External = null,
        string? Skipped = null
    )
    {
        public Task<Sample> MeasureAsync(int n, int c) =>
            External is { } external ? external(n, c) : Measure(Run!, n, c);
    }

    // Bytes is null when they were not measured (another process).
    private sealed record Sample(double Seconds, long? Bytes, double CpuSeconds, int N)
    {
        /// <summary>The client's GC pause time over the row (null for the Node row).</summary>
        public double? GcPauseSeconds { get; init; }

        public double Rate => N / Seconds;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var total = Arg(args, "--requests", quick ? 3_000 : 20_000);
        var rounds = Arg(args, "--rounds", quick ? 6 : 10);
        var concurrencies =
            args.Contains("--c1") ? new[] { 1 }
            : args.Contains("--c32") ? new[] { 32 }
            : new[] { 1, 32 };
        var pin =
            !args.Contains("--no-pin")
            && Environment.ProcessorCount >= 2
            && File.Exists("/usr/bin/taskset");
        if (pin && Environment.GetEnvironmentVariable(PinnedMarker) is null)
            return await ReexecPinned(args);
        var pinned = Environment.GetEnvironmentVariable(PinnedMarker) is not null;

        using var server = ServerProcess.Start(cpu: pinned ? 0 : null);
        var load = File.Exists("/proc/loadavg")
            ? File.ReadAllText("/proc/loadavg").Split(' ').Take(3).ToArray()
            : ["?", "?", "?"];
        Console.WriteLine(
            $"server pid {server.Pid} on 127.0.0.1:{server.Port}{(pinned ? ", pinned to CPU 0; client pinned to CPU 1" : ", not pinned")}; "
                + $"{total:N0} requests per row and concurrency in {rounds} interleaved rounds; load average before: {string.Join(" ", load)}; "
                + $"{Environment.ProcessorCount} core(s) visible to the client; .NET {Environment.Version}"
        );

        var rows = await Rows(server.Port, pinned ? 1 : null);
        var typesAt = Array.IndexOf(args, "--types");
        if (typesAt >= 0 && typesAt + 1 < args.Length)
        {
            // Where one row's bytes go, by type (sampled from the runtime's allocation events: indicative).
            var row = rows.List.Single(r => r.Name == args[typesAt + 1]);
            if (row.Run is not { } run)
                throw new InvalidOperationException(
                    $"{row.Name} runs in another process: no allocation profile here"
                );
            var n = Math.Max(5_000, total);
            await Measure(run, 2_000, 1);
            using var sampler = new AllocationSampler();
            var types = await sampler.SampleAsync(() => Measure(run, n, 1));
            var sum = types.Sum(t => t.Bytes);
            Console.WriteLine(
                $"{row.Name}: ~{sum / n:N0} B/request sampled; by type (B/request, share):"
            );
            foreach (var (type, bytes) in types.Take(30))
                Console.WriteLine($"  {bytes / n, 7:N0} {100.0 * bytes / sum, 5:0.0}%  {type}");
            rows.Dispose();
            return 0;
        }
        try
        {
            foreach (var c in concurrencies)
                await RunAt(rows.List, c, total, rounds);
        }
        finally
        {
            rows.Dispose();
        }
        var after = File.Exists("/proc/loadavg")
            ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
            : "?";
        Console.WriteLine($"load average after: {after}");
        return 0;
    }

    private static async Task RunAt(IReadOnlyList<Row> all, int c, int total, int rounds)
    {
        var rows = all.Where(r => r.Skipped is null).ToList();
        // Warm every row (JIT, tiering, connection pools) before measuring. The Node process gets more: V8 settles
        // later (a fresh process measured ~370 req/s after 500 calls and ~640 after 4,000 on this machine).
        foreach (var row in rows)
            await row.MeasureAsync(Math.Max(row.External is null ? 500 : 5_000, total / rounds), c);
        var samples = rows.ToDictionary(r => r.Name, _ => new List<Sample>());
        var n = Math.Max(1, total / rounds);
        for (var round = 0; round < rounds; round++)
        for (var i = 0; i < rows.Count; i++)
        {
            // Rotate the order so that no row always runs first (or right after the same neighbour).
            var row = rows[(i + round) % rows.Count];
            samples[row.Name].Add(await row.MeasureAsync(n, c));
        }

        Console.WriteLine();
        Console.WriteLine($"concurrency {c}:");
        Console.WriteLine();
        Console.WriteLine(
            "| row | req/s (median) | ÷ floor (median of rounds, min–max) | ÷ FL | ÷ node | B/request | CPU µs/request | GC pause µs/request |"
        );
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var floor = samples["floor"];
        var fl = samples["FL"];
        var node = samples.GetValueOrDefault("node");
        foreach (var row in all)
        {
            if (row.Skipped is { } skipped)
            {
                Console.WriteLine($"| {row.Name}: {row.Description} | {skipped} | | | | | | |");
                continue;
            }
            var s = samples[row.Name];
            var toFloor = s.Zip(floor, (a, b) => a.Rate / b.Rate).ToList();
            var toFl = s.Zip(fl, (a, b) => a.Rate / b.Rate).ToList();
            var toNode = node is null
                ? "—"
                : $"{Median(s.Zip(node, (a, b) => a.Rate / b.Rate)):0.00}";
            var bytes = s.All(x => x.Bytes is not null)
                ? $"{(double)s.Sum(x => x.Bytes!.Value) / s.Sum(x => x.N):N0}"
                : "—";
            var cpu = 1e6 * s.Sum(x => x.CpuSeconds) / s.Sum(x => x.N);
            var gc = s.All(x => x.GcPauseSeconds is not null)
                ? $"{1e6 * s.Sum(x => x.GcPauseSeconds!.Value) / s.Sum(x => x.N):0.0}"
                : "—";
            Console.WriteLine(
                $"| {row.Name}: {row.Description} | {Median(s.Select(x => x.Rate)):N0} | {Median(toFloor):0.00} ({toFloor.Min():0.00}–{toFloor.Max():0.00}) | {Median(toFl):0.00} | {toNode} | {bytes} | {cpu:0.0} | {gc} |"
            );
        }
        if (node is not null && samples.TryGetValue("op", out var op))
        {
            var toNode = op.Zip(node, (a, b) => a.Rate / b.Rate).ToList();
            var target =
                c == 1 ? "; issue 16 asks ≥ 3.5"
                : c == 32 ? "; issue 16 asks ≥ 5"
                : "";
            Console.WriteLine();
            Console.WriteLine(
                $"op ÷ node at concurrency {c}: {Median(toNode):0.00} (rounds {toNode.Min():0.00}–{toNode.Max():0.00}{target})"
            );
        }
    }

    private sealed class RowSet(IReadOnlyList<Row> list, params IDisposable[] owned) : IDisposable
    {
        public IReadOnlyList<Row> List => list;

        public void Dispose()
        {
            foreach (var d in owned)
                d.Dispose();
        }
    }

    private static async Task<RowSet> Rows(int port, int? clientCpu)
    {
        var live = Interpreter.Live();
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_benchmark_key",
            Protocol = "http",
            Host = "127.0.0.1",
            Port = port,
            Client = live,
        };
        // The same headers the library sends, so that the floor and FL differ from it only by what it does.
        var request = Profiles
            .GetProfiles(pageSize: 20)
            .Build(options)
            .Match(r => r, e => throw new InvalidOperationException(e.ToString()));
        var url = request.Url;
        var headers = request.Headers.ToArray();
        var authorization = request.Authorization!.Reveal();

        var raw = LiveInterpreter.CreateHttpClient();
        Func<Task> floor = async () =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            foreach (var (name, value) in headers)
                message.Headers.TryAddWithoutValidation(name, value);
            message.Headers.TryAddWithoutValidation("authorization", authorization);
            using var response = await raw.SendAsync(
                message,
                HttpCompletionOption.ResponseHeadersRead
            );
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var doc = await JsonDocument.ParseAsync(stream);
            Check(response.StatusCode == HttpStatusCode.OK, doc.RootElement, "floor");
        };

        var flurl = new FlurlClient(LiveInterpreter.CreateHttpClient());
        flurl.Settings.Redirects.Enabled = false;
        flurl.Settings.AllowedHttpStatusRange = "*";
        flurl.Settings.Timeout = null;
        Func<Task> fl = async () =>
        {
            var r = flurl.Request(url);
            foreach (var (name, value) in headers)
                r.Headers.Add(name, value);
            r.Headers.Add("authorization", authorization);
            using var response = await r.SendAsync(
                HttpMethod.Get,
                null,
                HttpCompletionOption.ResponseHeadersRead
            );
            await using var stream = await response.ResponseMessage.Content.ReadAsStreamAsync();
            using var doc = await JsonDocument.ParseAsync(stream);
            Check(response.StatusCode == 200, doc.RootElement, "FL");
        };

        Func<Task> send = async () =>
        {
            var result = await Profiles.GetProfiles(pageSize: 20).SendAsync(options);
            Read(result, "SendAsync");
        };

        var client = new KlaviyoClient(options);
        Func<Task> viaClient = async () =>
        {
            var response = await client.SendAsync(Profiles.GetProfiles(pageSize: 20));
            Check(response.StatusCode == 200, response.Json.IfNone(default(JsonElement)), "client");
        };

        // Retry on, and a rate limiter whose tier the benchmark cannot reach (so it paces nothing, but every
        // request still takes and gives back its permits).
        // One tier for every operation, made once (as the catalog's tiers are).
        var unreachable = new RateLimitTier(
            new Rate(10_000_000, TimeSpan.FromSeconds(1)),
            new Rate(100_000_000, TimeSpan.FromMinutes(1)),
            null
        );
        var limiter = new CatalogRateLimiter(_ => unreachable);
        var wrappedOptions = options with
        {
            Retry = Retry.Exponential,
            ClientOptions = options.ClientOptions with { RateLimiter = limiter },
        };
        Func<Task> wrapped = async () =>
        {
            var result = await Profiles.GetProfiles(pageSize: 20).SendAsync(wrappedOptions);
            Read(result, "wrapped");
        };

        var dryOptions = options with { Client = Interpreter.DryRun(TextWriter.Null) };
        Func<Task> dry = async () =>
        {
            var result = await Profiles.GetProfiles(pageSize: 20).SendAsync(dryOptions);
            if (result.IsLeft)
                throw new InvalidOperationException("dry run: " + result);
            _ = result.Match(r => r.Json.Map(j => j.ValueKind), _ => default);
        };

        // Record the live answer once, then replay it.
        var directory = Path.Combine(
            Path.GetTempPath(),
            "klaviyo-harness-" + Guid.NewGuid().ToString("N")
        );
        Directory.CreateDirectory(directory);
        var fixture = Path.Combine(directory, "profiles.json");
        using (var recorder = Interpreter.Record(Interpreter.Live(), fixture))
            Read(
                await Profiles
                    .GetProfiles(pageSize: 20)
                    .SendAsync(options with { Client = recorder }),
                "record"
            );
        var replay = Interpreter.Replay(
            fixture,
            new FixtureOptions { AllowPlaybackRepeats = true }
        );
        var replayOptions = options with { Client = replay };
        Func<Task> replayed = async () =>
        {
            var result = await Profiles.GetProfiles(pageSize: 20).SendAsync(replayOptions);
            Read(result, "replay");
        };

        // Steps of the same call, to show where the bytes go: the transport alone on the built request (body kept as
        // bytes, not parsed), and the generated operation read with ReadJson (no tree kept).
        Func<Task> transport = async () =>
        {
            var outcome = await live.ExecuteAsync(request, default);
            if (outcome.Case is not RawResponse { StatusCode: 200, Body.Length: > 0 })
                throw new InvalidOperationException("live: unexpected outcome " + outcome);
        };
        Func<Task> sendReadJson = async () =>
        {
            var result = await Profiles.GetProfiles(pageSize: 20).SendAsync(options);
            if (result.Case is not KlaviyoResponse r)
                throw new InvalidOperationException("op-readjson: " + result);
            var items = r.ReadJson(static root => root.GetProperty("data").GetArrayLength())
                .IfNone(0);
            if (items == 0)
                throw new InvalidOperationException("op-readjson: unexpected response");
        };

        var list = new List<Row>
        {
            new(
                "floor",
                "raw HttpClient, ResponseHeadersRead, JsonDocument.ParseAsync on the stream, disposed",
                floor
            ),
            new("FL", "Flurl's lean per-call path, same parse", fl),
            new("op", "Profiles.GetProfiles(pageSize: 20).SendAsync(options), body read", send),
            new("client", "op through KlaviyoClient", viaClient),
            new(
                "op-readjson",
                "op with its body read by response.ReadJson (no tree kept)",
                sendReadJson
            ),
            new("wrapped", "op with Retry.Exponential and a CatalogRateLimiter", wrapped),
            new("dry-run", "op on Interpreter.DryRun (nothing sent)", dry),
            new("replay", "op on Interpreter.Replay of a recorded fixture", replayed),
            new(
                "live",
                "step: LiveInterpreter.ExecuteAsync on the built request, body kept as bytes, not parsed",
                transport
            ),
        };
        var (nodeRow, node) = await NodeRow(port, clientCpu);
        list.Add(nodeRow);
        return new RowSet(
            list,
            raw,
            flurl,
            live,
            limiter,
            replay,
            new Cleanup(() => Directory.Delete(directory, recursive: true)),
            new Cleanup(() => node?.Dispose())
        );
    }

    // The official Node SDK's getProfiles({pageSize: 20}) in its own process, or why it cannot run here.
    private static async Task<(Row, NodeSdk?)> NodeRow(int port, int? cpu)
    {
        const string description =
            $"official Node SDK klaviyo-api {NodeSdk.Version}: ProfilesApi.getProfiles({{pageSize: 20}}), body as the SDK returns it (own process)";
        var baseUrl = $"http://127.0.0.1:{port}";
        var (sdk, skipped) = await NodeSdk.PrepareAsync(baseUrl, cpu);
        if (sdk is null)
            return (new Row("node", description, null, Skipped: skipped), null);
        var row = new Row(
            "node",
            description,
            null,
            External: async (n, c) =>
            {
                var (seconds, cpuSeconds) = await sdk.MeasureAsync(n, c);
                return new Sample(seconds, null, cpuSeconds, n);
            }
        );
        return (row, sdk);
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    // Reads the body the way a caller does: the parsed document's data array.
    // Reads the result as the floor and FL rows read theirs: no closures, so a row's bytes are the library's.
    private static void Read(Either<KlaviyoError, KlaviyoResponse> result, string row)
    {
        if (result.Case is not KlaviyoResponse r)
            throw new InvalidOperationException($"{row}: {result}");
        Check(r.StatusCode == 200, r.TryGetJson(out var root) ? root : default, row);
    }

    private static void Check(bool ok, JsonElement root, string row)
    {
        if (
            !ok
            || root.ValueKind != JsonValueKind.Object
            || root.GetProperty("data").GetArrayLength() == 0
        )
            throw new InvalidOperationException($"{row}: unexpected response");
    }

    private static async Task<Sample> Measure(Func<Task> run, int n, int concurrency)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var pausedBefore = GC.GetTotalPauseDuration();
        var sw = Stopwatch.StartNew();
        var next = -1;
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
            workers[w] = Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < n)
                    await run();
            });
        await Task.WhenAll(workers);
        sw.Stop();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new Sample(sw.Elapsed.TotalSeconds, bytes, cpu, n)
        {
            GcPauseSeconds = (GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds,
        };
    }

    // Runs this same command again under `taskset -c 1`, so every thread of the client starts on CPU 1.
    private static async Task<int> ReexecPinned(string[] args)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo("/usr/bin/taskset") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("1");
        info.ArgumentList.Add(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        info.ArgumentList.Add("harness");
        foreach (var a in args)
            info.ArgumentList.Add(a);
        info.Environment[PinnedMarker] = "1";
        using var child =
            Process.Start(info)
            ?? throw new InvalidOperationException("could not start the pinned client");
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1
            ? sorted[sorted.Count / 2]
            : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
    }
}
