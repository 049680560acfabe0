using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Garnet;
using Garnet.server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Klaviyo.Bench.Workers;

/// <summary>redis-server on a free loopback port (persistence off) when installed, otherwise Garnet in this process.</summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly Process? _process;
    private readonly GarnetServer? _garnet;

    private RedisProcess(int port, Process? process, GarnetServer? garnet, string kind)
    {
        Port = port;
        _process = process;
        _garnet = garnet;
        Kind = kind;
    }

    public int Port { get; }

    public string Kind { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisProcess> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "redis-server"))
            .FirstOrDefault(File.Exists);
        RedisProcess server;
        if (path is not null)
        {
            var info = new ProcessStartInfo(path)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
            };
            foreach (
                var a in new[]
                {
                    "--port",
                    port.ToString(),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--loglevel",
                    "warning",
                }
            )
                info.ArgumentList.Add(a);
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            server = new RedisProcess(port, process, null, "redis-server");
        }
        else
        {
            var garnet = new GarnetServer(
                new GarnetServerOptions
                {
                    EndPoints = [new IPEndPoint(IPAddress.Loopback, port)],
                    EnableLua = true,
                    LuaTransactionMode = true,
                    LuaOptions = new LuaOptions(NullLogger.Instance),
                    QuietMode = true,
                }
            );
            garnet.Start();
            server = new RedisProcess(port, null, garnet, "Garnet (in-process)");
        }
        for (var i = 0; i < 500; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
        throw new InvalidOperationException("Redis did not start");
    }

    public void Dispose()
    {
        if (_process is not null)
        {
            try
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
        _garnet?.Dispose();
    }
}
