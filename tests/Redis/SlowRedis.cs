using System.Net;
using System.Net.Sockets;

namespace Klaviyo.Tests.Redis;

/// <summary>
/// A loopback TCP proxy in front of a real Redis that can hold back every answer for <see cref="Delay"/>, or, with no
/// target, a server that accepts connections and never answers at all.
/// </summary>
public sealed class SlowRedis : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int? _target;
    private readonly List<TcpClient> _clients = new();

    private SlowRedis(int? target)
    {
        _target = target;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>How long each chunk of Redis's answers is held back; zero passes them at once.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>A proxy to the Redis on <paramref name="port"/>.</summary>
    public static SlowRedis InFrontOf(int port) => new(port);

    /// <summary>A server that accepts and never answers.</summary>
    public static SlowRedis Silent() => new(null);

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                    _clients.Add(client);
                _ = ServeAsync(client);
            }
        }
        catch (Exception) { }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var down = client.GetStream();
            if (_target is not { } port)
            {
                var sink = new byte[4096];
                while (await down.ReadAsync(sink, _stop.Token) > 0) { }
                return;
            }
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
            lock (_clients)
                _clients.Add(upstream);
            var up = upstream.GetStream();
            await Task.WhenAny(Pump(down, up, false), Pump(up, down, true));
        }
        catch (Exception) { }
        finally
        {
            client.Dispose();
        }
    }

    private async Task Pump(Stream from, Stream to, bool answers)
    {
        var buffer = new byte[16384];
        int n;
        while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (answers && Delay > TimeSpan.Zero)
                await Task.Delay(Delay, _stop.Token);
            await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
            foreach (var c in _clients)
                c.Dispose();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
