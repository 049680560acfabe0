using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LanguageExt;

namespace Klaviyo.Benchmarks;

/// <summary>
/// Loopback throughput: GETs to a Kestrel server in its own process answering a ~2 KB JSON:API body, through
/// (a) the floor — one shared raw HttpClient, an HttpRequestMessage per request with the same headers we send,
/// ResponseHeadersRead, the body streamed into JsonDocument.ParseAsync — and (b) SendAsync on the live interpreter.
/// Rounds interleave a and b so machine noise hits both; figures are ratios from the same run.
/// </summary>
public static class Throughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var total = Arg(args, "--requests", 40_000);
        var rounds = Arg(args, "--rounds", 20);
        var concurrencies = new[] { 1, 32 };
        using var server = ServerProcess.Start();
        Console.WriteLine(
            $"server pid {server.Pid} on 127.0.0.1:{server.Port}; {total} requests per side and concurrency, {rounds} interleaved rounds"
        );

        var options = new KlaviyoOptions
        {
            ApiKey = "pk_benchmark_key",
            Protocol = "http",
            Host = "127.0.0.1",
            Port = server.Port,
            Client = Interpreter.Live(),
        };
        var operation = new RequestOperation(HttpMethod.Get, "/api/profiles");
        var request = RequestBuilder
            .Build(operation, options)
            .Match(r => r, e => throw new InvalidOperationException(e.ToString()));
        using var raw = LiveInterpreter.CreateHttpClient();

        Func<Task> floor = async () =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, request.Url);
            foreach (var (name, value) in request.Headers)
                message.Headers.TryAddWithoutValidation(name, value);
            using var response = await raw.SendAsync(
                message,
                HttpCompletionOption.ResponseHeadersRead
            );
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var doc = await JsonDocument.ParseAsync(stream);
            if (
                response.StatusCode != HttpStatusCode.OK
                || doc.RootElement.ValueKind != JsonValueKind.Object
            )
                throw new InvalidOperationException("floor: unexpected response");
        };
        var sample = (await operation.SendAsync(options)).Match(
            r => r,
            e => throw new InvalidOperationException(e.Message)
        );
        // Our response keeps these bytes for the caller (the floor parses the stream and keeps nothing).
        Console.WriteLine(
            $"response: {sample.StatusCode}, body {sample.Headers.Get("content-length").IfNone("?")} bytes, {sample.Headers.All.Count} headers"
        );
        Func<Task> ours = async () =>
        {
            var result = await operation.SendAsync(options);
            if (result.IsLeft)
                throw new InvalidOperationException("ours: " + result);
        };

        if (args.Contains("--variants") || args.Contains("--types"))
        {
            var flurl = new Flurl.Http.FlurlClient(LiveInterpreter.CreateHttpClient());
            flurl.Settings.Redirects.Enabled = false;
            flurl.Settings.AllowedHttpStatusRange = "*";
            flurl.Settings.Timeout = null;
            Func<Task> flurlOnly = async () =>
            {
                var r = flurl.Request(request.Url);
                foreach (var (name, value) in request.Headers)
                    r.Headers.Add(name, value);
                using var response = await r.SendAsync(
                    HttpMethod.Get,
                    null,
                    HttpCompletionOption.ResponseHeadersRead
                );
                await using var stream = await response.ResponseMessage.Content.ReadAsStreamAsync();
                using var doc = await JsonDocument.ParseAsync(stream);
            };
            // What the live interpreter does, on the raw HttpClient instead of Flurl: body into a byte array of
            // Content-Length, headers into a list, a RawResponse, classified (validated, not parsed to a tree).
            Func<Task> rawBytes = async () =>
            {
                using var message = new HttpRequestMessage(HttpMethod.Get, request.Url);
                foreach (var (name, value) in request.Headers)
                    message.Headers.TryAddWithoutValidation(name, value);
                using var response = await raw.SendAsync(
                    message,
                    HttpCompletionOption.ResponseHeadersRead
                );
                var length = response.Content.Headers.ContentLength ?? 0;
                var body = new byte[length];
                await using (var stream = await response.Content.ReadAsStreamAsync())
                    await stream.ReadExactlyAsync(body);
                var headers = new List<(string, string)>(16);
                foreach (var h in response.Headers.NonValidated)
                foreach (var v in h.Value)
                    headers.Add((h.Key, v));
                foreach (var h in response.Content.Headers.NonValidated)
                foreach (var v in h.Value)
                    headers.Add((h.Key, v));
                var rawResponse = new RawResponse((int)response.StatusCode, headers.ToSeq(), body);
                if (
                    ResponseClassifier
                        .Classify(rawResponse, options.JsonCodec, request.Secrets)
                        .IsLeft
                )
                    throw new InvalidOperationException();
            };
            Func<Task> liveOnly = async () =>
            {
                var r = await options.Client!.ExecuteAsync(request, CancellationToken.None);
                if (r.IsLeft)
                    throw new InvalidOperationException();
            };
            var variants = new[]
            {
                ("floor", floor),
                ("raw HttpClient + bytes + classify", rawBytes),
                ("flurl-only", flurlOnly),
                ("live-execute", liveOnly),
                ("ours", ours),
            };
            if (args.Contains("--types"))
            {
                using var sampler = new AllocationSampler();
                const int n = 20_000;
                foreach (var (name, run) in new[] { ("floor", floor), ("ours", ours) })
                {
                    await Measure(run, 3000, 1);
                    var types = await sampler.SampleAsync(() => Measure(run, n, 1));
                    var sum = types.Sum(t => t.Bytes);
                    Console.WriteLine($"{name}: ~{sum / n} B/req sampled; by type (B/req, share):");
                    foreach (var (type, bytes) in types.Take(20))
                        Console.WriteLine(
                            $"  {bytes / n, 6} {100.0 * bytes / sum, 5:0.0}%  {type}"
                        );
                }
                return 0;
            }
            var byVariant = new Dictionary<string, List<(double Seconds, long Bytes, int N)>>();
            for (var round = 0; round < rounds; round++)
                foreach (var (name, run) in round % 2 == 0 ? variants : variants.Reverse())
                {
                    await Measure(run, 1000, 1);
                    var m = await Measure(run, 5000, 1);
                    if (!byVariant.TryGetValue(name, out var list))
                        byVariant[name] = list = new();
                    list.Add(m);
                }
            Console.WriteLine("| variant (concurrency 1) | req/s (median of rounds) | B/req |");
            Console.WriteLine("|---|---:|---:|");
            foreach (var (name, _) in variants)
            {
                var list = byVariant[name];
                var rates = list.Select(x => x.N / x.Seconds).Order().ToList();
                Console.WriteLine(
                    $"| {name} | {rates[rates.Count / 2]:0} | {list.Sum(x => x.Bytes) / list.Sum(x => x.N)} |"
                );
            }
            return 0;
        }

        // Warm both paths (JIT, connection pool) before measuring.
        foreach (var c in concurrencies)
        {
            await Measure(floor, 2_000, c);
            await Measure(ours, 2_000, c);
        }

        var results = new Dictionary<(string, int), List<(double Seconds, long Bytes, int N)>>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var c in concurrencies)
            {
                var n = total / rounds;
                var order =
                    round % 2 == 0
                        ? new[] { ("floor", floor), ("ours", ours) }
                        : new[] { ("ours", ours), ("floor", floor) };
                foreach (var (name, run) in order)
                {
                    var m = await Measure(run, n, c);
                    if (!results.TryGetValue((name, c), out var list))
                        results[(name, c)] = list = new();
                    list.Add(m);
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine(
            "| concurrency | floor req/s | ours req/s | ratio ours/floor (median of rounds, min–max) | floor B/req | ours B/req | alloc ratio |"
        );
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in concurrencies)
        {
            var f = results[("floor", c)];
            var o = results[("ours", c)];
            // The machine is shared: each round pairs a floor and an ours run taken back to back, and the
            // medians over rounds are what the table reports (a pooled total lets one disturbed round dominate).
            static double Median(IEnumerable<double> values)
            {
                var sorted = values.Order().ToList();
                return sorted.Count % 2 == 1
                    ? sorted[sorted.Count / 2]
                    : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
            }
            static double Rate((double Seconds, long Bytes, int N) x) => x.N / x.Seconds;
            double Alloc(List<(double Seconds, long Bytes, int N)> l) =>
                (double)l.Sum(x => x.Bytes) / l.Sum(x => x.N);
            var ratios = f.Zip(o, (a, b) => Rate(b) / Rate(a)).ToList();
            Console.WriteLine(
                $"| {c} | {Median(f.Select(Rate)):0} | {Median(o.Select(Rate)):0} | {Median(ratios):0.00} ({ratios.Min():0.00}–{ratios.Max():0.00}) | {Alloc(f):0} | {Alloc(o):0} | {Alloc(o) / Alloc(f):0.00} |"
            );
        }
        return 0;
    }

    private static async Task<(double Seconds, long Bytes, int N)> Measure(
        Func<Task> run,
        int n,
        int concurrency
    )
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var next = -1;
        var workers = Enumerable
            .Range(0, concurrency)
            .Select(_ =>
                Task.Run(async () =>
                {
                    while (Interlocked.Increment(ref next) < n)
                        await run();
                })
            )
            .ToArray();
        await Task.WhenAll(workers);
        sw.Stop();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        return (sw.Elapsed.TotalSeconds, bytes, n);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
    }
}
