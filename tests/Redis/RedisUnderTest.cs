using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Garnet;
using Garnet.server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Klaviyo.Tests.Redis;

/// <summary>
/// A real Redis-protocol server on a free loopback port for the tests: <c>redis-server</c> when it is on the PATH
/// (persistence off), otherwise Microsoft Garnet in this process with Lua scripting on (scripts run as
/// transactions, so they are atomic as on Redis). It can be stopped and started again on the same port, to test
/// losing Redis mid-run.
/// </summary>
public sealed class RedisUnderTest : IAsyncDisposable
{
    // KLAVIYO_TEST_REDIS=garnet forces Garnet even where redis-server is installed (to test that path too).
    private static readonly string? RedisServerPath =
        Environment.GetEnvironmentVariable("KLAVIYO_TEST_REDIS") == "garnet"
            ? null
            : FindOnPath("redis-server");
    private Process? _process;
    private GarnetServer? _garnet;

    private RedisUnderTest(int port) => Port = port;

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Which server this is, e.g. <c>redis-server (/usr/bin/redis-server)</c> or <c>Microsoft Garnet (in-process)</c>.</summary>
    public static string Kind =>
        RedisServerPath is { } path
            ? $"redis-server ({path})"
            : $"Microsoft Garnet {typeof(GarnetServer).Assembly.GetName().Version} (in-process, Lua on)";

    public static async Task<RedisUnderTest> StartAsync()
    {
        var server = new RedisUnderTest(FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        if (RedisServerPath is { } path)
        {
            var info = new ProcessStartInfo(path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (
                var a in new[]
                {
                    "--port",
                    Port.ToString(),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--protected-mode",
                    "no",
                    "--loglevel",
                    "warning",
                }
            )
                info.ArgumentList.Add(a);
            _process = Process.Start(info)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }
        else
        {
            _garnet = new GarnetServer(
                new GarnetServerOptions
                {
                    EndPoints = [new IPEndPoint(IPAddress.Loopback, Port)],
                    EnableLua = true,
                    LuaTransactionMode = true,
                    LuaOptions = new LuaOptions(NullLogger.Instance),
                    QuietMode = true,
                }
            );
            _garnet.Start();
        }
        var deadline = Stopwatch.StartNew();
        while (!await PingAsync(Port))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new InvalidOperationException($"{Kind} did not answer on port {Port}");
            await Task.Delay(20);
        }
    }

    /// <summary>Runs a script once, so that the first test does not pay for starting the server's Lua engine.</summary>
    public async Task WarmUpAsync()
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(
            Configuration
        );
        await redis.GetDatabase().ScriptEvaluateAsync("return redis.call('TIME')");
    }

    /// <summary>Stops the server; clients lose their connections.</summary>
    public async Task StopAsync()
    {
        if (_process is { } p)
        {
            _process = null;
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { }
            await p.WaitForExitAsync();
            p.Dispose();
        }
        if (_garnet is { } g)
        {
            _garnet = null;
            g.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task<bool> PingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"), cts.Token);
            var buffer = new byte[16];
            var n = await stream.ReadAsync(buffer, cts.Token);
            return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
