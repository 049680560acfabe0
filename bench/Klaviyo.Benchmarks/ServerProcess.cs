using System.Diagnostics;

namespace Klaviyo.Benchmarks;

/// <summary>Starts bench/Klaviyo.Bench.Server in its own process and stops it on dispose.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>
    /// Starts the server with <paramref name="arguments"/> (e.g. <c>--paging 10000 100</c>) and waits until it
    /// listens; with <paramref name="cpu"/>, pinned to that CPU with <c>taskset</c>.
    /// </summary>
    public static ServerProcess Start(string arguments = "", int? cpu = null)
    {
        var dll = Locate();
        var info = new ProcessStartInfo(
            cpu is null ? "dotnet" : "/usr/bin/taskset",
            (cpu is null ? "" : $"-c {cpu} dotnet ") + $"\"{dll}\" {arguments}"
        )
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process =
            Process.Start(info)
            ?? throw new InvalidOperationException("could not start the benchmark server");
        var line =
            process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException("the benchmark server said nothing");
        if (!line.StartsWith("listening "))
            throw new InvalidOperationException("unexpected benchmark server output: " + line);
        return new ServerProcess(process, int.Parse(line["listening ".Length..]));
    }

    /// <summary>The repository's root (the folder holding Klaviyo.sln), found from this program's location.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Klaviyo.sln")))
            dir = dir.Parent;
        return dir?.FullName
            ?? throw new InvalidOperationException("run from inside the repository");
    }

    private static string Locate()
    {
        var root = RepositoryRoot();
        var candidates = new[] { "Release", "Debug" }
            .Select(c =>
                Path.Combine(
                    root,
                    "bench",
                    "Klaviyo.Bench.Server",
                    "bin",
                    c,
                    "net10.0",
                    "Klaviyo.Bench.Server.dll"
                )
            )
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc);
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException(
                "build bench/Klaviyo.Bench.Server first (dotnet build -c Release bench/Klaviyo.Benchmarks)"
            );
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
