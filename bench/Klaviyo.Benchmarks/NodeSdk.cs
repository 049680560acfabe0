using System.Diagnostics;
using System.Text.Json;

namespace Klaviyo.Benchmarks;

/// <summary>
/// The official Node SDK (<c>klaviyo-api</c> 23.0.0, pinned by bench/node-sdk/package-lock.json) as a row of the
/// harness: bench/node-sdk/get-profiles.js runs in one <c>node</c> process (<c>--serve</c>) for the whole run,
/// against the same loopback server, and times each batch of calls the harness asks for. Like the .NET rows it is
/// warmed once and stays warm across rounds; it reports its rate and its own CPU time over the timed calls only.
/// </summary>
internal sealed class NodeSdk : IDisposable
{
    /// <summary>The SDK version the row measures (package.json pins it exactly).</summary>
    public const string Version = "23.0.0";

    private readonly Process _process;

    private NodeSdk(Process process) => _process = process;

    /// <summary>
    /// Finds <c>node</c> and <c>npm</c>, runs <c>npm ci</c> in bench/node-sdk when the pinned SDK is not installed
    /// there, and starts the script against <paramref name="baseUrl"/> (it checks the path, the query and the
    /// revision header of the first request it sends); returns the runner, or why the row is skipped.
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

        var script = new[] { Path.Combine(directory, "get-profiles.js"), baseUrl, "--serve" };
        var info = new ProcessStartInfo(cpu is null ? node : "/usr/bin/taskset")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cpu is { } c)
            foreach (var a in new[] { "-c", c.ToString(), node })
                info.ArgumentList.Add(a);
        foreach (var a in script)
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var ready = await process.StandardOutput.ReadLineAsync();
        if (ready != "ready")
        {
            var error = await process.StandardError.ReadToEndAsync();
            process.Kill(entireProcessTree: true);
            process.Dispose();
            Console.WriteLine(
                $"bench/node-sdk: the script failed its first call; the node row is skipped. {error.Trim()}"
            );
            return (null, "skipped: the Node SDK script failed (see above)");
        }
        return (new NodeSdk(process), null);
    }

    /// <summary>Times <paramref name="n"/> calls at concurrency <paramref name="c"/> in the Node process.</summary>
    public async Task<(double Seconds, double CpuSeconds)> MeasureAsync(int n, int c)
    {
        await _process.StandardInput.WriteLineAsync($"{n} {c}");
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync();
        if (line is null || !line.StartsWith('{'))
        {
            var error = _process.HasExited ? await _process.StandardError.ReadToEndAsync() : "";
            throw new InvalidOperationException(
                $"node get-profiles.js failed: {line} {error.Trim()}"
            );
        }
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        return (
            root.GetProperty("seconds").GetDouble(),
            root.GetProperty("cpuMicros").GetDouble() / 1e6
        );
    }

    /// <summary>Ends the Node process (closing its input ends it; killed if it lingers).</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
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
