using System.Diagnostics;
using System.Text.Json;

namespace Klaviyo.Benchmarks;

/// <summary>
/// The official Node SDK (<c>klaviyo-api</c> 23.0.0, pinned by bench/node-sdk/package-lock.json) as a row of the
/// harness: each measurement runs bench/node-sdk/get-profiles.js in a fresh <c>node</c> process against the same
/// loopback server. The script warms up (JIT, connections) before it times, and reports the rate and its own CPU
/// time over the timed requests only, so Node's start-up is not counted against it.
/// </summary>
internal sealed class NodeSdk
{
    /// <summary>The SDK version the row measures (package.json pins it exactly).</summary>
    public const string Version = "23.0.0";

    // Requests each process makes before it starts timing.
    private const int Warmup = 500;

    private readonly string _node;
    private readonly string _directory;
    private readonly int? _cpu;

    private NodeSdk(string node, string directory, int? cpu)
    {
        _node = node;
        _directory = directory;
        _cpu = cpu;
    }

    /// <summary>
    /// Finds <c>node</c> and <c>npm</c>, runs <c>npm ci</c> in bench/node-sdk when the pinned SDK is not installed
    /// there, and checks the script once against <paramref name="baseUrl"/>; returns the runner, or why the row is
    /// skipped.
    /// </summary>
    public static async Task<(NodeSdk? Sdk, string? Skipped)> PrepareAsync(string baseUrl, int? cpu)
    {
        var node = OnPath("node");
        if (node is null)
            return (null, "skipped: node not found");
        var npm = OnPath("npm");
        if (npm is null)
            return (null, "skipped: npm not found");
        var directory = Path.Combine(ServerProcess.RepositoryRoot(), "bench", "node-sdk");
        if (InstalledVersion(directory) != Version)
        {
            Console.WriteLine(
                $"bench/node-sdk: klaviyo-api {Version} is not installed there; running `npm ci` (once)…"
            );
            var (code, output) = await RunAsync(
                npm,
                directory,
                TimeSpan.FromMinutes(5),
                "ci",
                "--no-audit",
                "--no-fund"
            );
            if (code != 0 || InstalledVersion(directory) != Version)
            {
                Console.WriteLine(
                    $"bench/node-sdk: `npm ci` failed (exit {code}); the node row is skipped. Its output:"
                );
                Console.WriteLine(output.TrimEnd());
                return (null, $"skipped: `npm ci` failed in bench/node-sdk (exit {code})");
            }
        }
        var sdk = new NodeSdk(node, directory, cpu);
        try
        {
            // One request, no warm-up: the script checks the path, the query and the revision header it sent.
            await sdk.RunScriptAsync(baseUrl, 1, 1, warmup: 0);
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine(
                $"bench/node-sdk: the script failed its first call; the node row is skipped. {e.Message}"
            );
            return (null, "skipped: the Node SDK script failed (see above)");
        }
        return (sdk, null);
    }

    /// <summary>Times <paramref name="n"/> calls at concurrency <paramref name="c"/> in a fresh process.</summary>
    public Task<(double Seconds, double CpuSeconds)> MeasureAsync(string baseUrl, int n, int c) =>
        RunScriptAsync(baseUrl, n, c, Warmup);

    private async Task<(double Seconds, double CpuSeconds)> RunScriptAsync(
        string baseUrl,
        int n,
        int c,
        int warmup
    )
    {
        var script = new List<string>
        {
            Path.Combine(_directory, "get-profiles.js"),
            baseUrl,
            n.ToString(),
            c.ToString(),
            "--warmup",
            warmup.ToString(),
        };
        var (code, output) = _cpu is { } cpu
            ? await RunAsync(
                "/usr/bin/taskset",
                _directory,
                TimeSpan.FromMinutes(10),
                ["-c", cpu.ToString(), _node, .. script]
            )
            : await RunAsync(_node, _directory, TimeSpan.FromMinutes(10), [.. script]);
        var line = output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith('{'));
        if (code != 0 || line is null)
            throw new InvalidOperationException(
                $"node get-profiles.js exited with {code}: {output.Trim()}"
            );
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        return (
            root.GetProperty("seconds").GetDouble(),
            root.GetProperty("cpuMicros").GetDouble() / 1e6
        );
    }

    private static string? InstalledVersion(string directory)
    {
        var manifest = Path.Combine(directory, "node_modules", "klaviyo-api", "package.json");
        if (!File.Exists(manifest))
            return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
        return doc.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    // Runs a program to its end and returns its exit code with its stdout and stderr (interleaved by line).
    private static async Task<(int Code, string Output)> RunAsync(
        string program,
        string directory,
        TimeSpan limit,
        params string[] arguments
    )
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
            info.ArgumentList.Add(a);
        using var process =
            Process.Start(info)
            ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{program} took longer than {limit}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
