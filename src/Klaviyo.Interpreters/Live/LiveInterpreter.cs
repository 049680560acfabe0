using System.Net;
using System.Net.Http.Headers;
using Flurl.Http;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Sends requests over HTTP with Flurl.Http, on its lean path: the response is read from
/// <see cref="HttpCompletionOption.ResponseHeadersRead"/> straight into a byte buffer (no string), Flurl's redirect
/// and cookie handling are off, any status is returned (never thrown), and one client is reused across calls.
/// </summary>
public sealed class LiveInterpreter : IInterpreter, IDisposable
{
    private readonly IFlurlClient _client;
    private readonly bool _ownsClient;

    /// <summary>Creates a live interpreter over <paramref name="httpClient"/>, or over a new pooled client when it is <c>null</c>.</summary>
    /// <param name="httpClient">A caller-owned client to keep the caller's pool and handlers; not disposed by this interpreter.</param>
    public LiveInterpreter(HttpClient? httpClient = null)
    {
        _ownsClient = httpClient is null;
        var client = httpClient ?? CreateHttpClient();
        _client = new FlurlClient(client);
        _client.Settings.Redirects.Enabled = false;
        _client.Settings.AllowedHttpStatusRange = "*";
        _client.Settings.Timeout = null;
    }

    /// <summary>The underlying client.</summary>
    public HttpClient HttpClient => _client.HttpClient;

    /// <summary>A new <see cref="HttpClient"/> as the live interpreter uses it: no redirects, no cookies, pooled connections.</summary>
    public static HttpClient CreateHttpClient() =>
        new(
            new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(30),
            }
        )
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };

    /// <inheritdoc />
    public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        if (cancellationToken.IsCancellationRequested)
            return new KlaviyoError.Cancelled { Attempts = 0 };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            timeout.CancelAfter(request.Timeout);
        try
        {
            var flurlRequest = _client.Request(request.Url);
            HttpContent? content = null;
            foreach (var (name, value) in request.Headers)
            {
                if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                    continue;
                flurlRequest.Headers.Add(name, value);
            }
            if (!request.Body.IsEmpty || request.ContentType is not null)
            {
                content = new ReadOnlyMemoryContent(request.Body);
                if (request.ContentType is { } ct)
                    content.Headers.TryAddWithoutValidation("Content-Type", ct);
            }
            using var response = await flurlRequest
                .SendAsync(
                    request.Method,
                    content,
                    HttpCompletionOption.ResponseHeadersRead,
                    timeout.Token
                )
                .ConfigureAwait(false);
            var message = response.ResponseMessage;
            var body = await ReadBodyAsync(message.Content, timeout.Token).ConfigureAwait(false);
            return new RawResponse((int)message.StatusCode, Headers(message), body);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && IsCancellation(e))
        {
            return new KlaviyoError.Cancelled();
        }
        catch (Exception e) when (timeout.IsCancellationRequested && IsCancellation(e))
        {
            return new KlaviyoError.Timeout(request.Timeout);
        }
        catch (FlurlHttpTimeoutException)
        {
            return new KlaviyoError.Timeout(request.Timeout);
        }
        catch (Exception e) when (e is TaskCanceledException { InnerException: TimeoutException })
        {
            return new KlaviyoError.Timeout(request.Timeout);
        }
        catch (Exception e)
            when (e
                    is FlurlHttpException
                        or HttpRequestException
                        or IOException
                        or OperationCanceledException
                        or ObjectDisposedException
            )
        {
            return new KlaviyoError.Transport(Redaction.Scrub(Describe(e), request.Secrets));
        }
    }

    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException
        || e.InnerException is OperationCanceledException
        || e is FlurlHttpTimeoutException;

    private static string Describe(Exception e)
    {
        // Flurl wraps the socket error; the innermost message says what actually happened.
        var inner = e;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        return inner == e ? e.Message : $"{inner.Message} ({inner.GetType().Name})";
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(
        HttpContent content,
        CancellationToken ct
    )
    {
        var length = content.Headers.ContentLength;
        using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        if (length is { } n)
        {
            if (n == 0)
                return ReadOnlyMemory<byte>.Empty;
            var buffer = new byte[n];
            await stream.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
            return buffer;
        }
        using var ms = new MemoryStream();
        await stream.CopyToAsync(ms, ct).ConfigureAwait(false);
        return ms.Length == 0
            ? ReadOnlyMemory<byte>.Empty
            : ms.GetBuffer().AsMemory(0, (int)ms.Length);
    }

    private static Seq<(string Name, string Value)> Headers(HttpResponseMessage message)
    {
        var list = new List<(string, string)>(16);
        Add(list, message.Headers);
        Add(list, message.Content.Headers);
        return list.ToSeq();
    }

    private static void Add(List<(string, string)> list, HttpHeaders headers)
    {
        foreach (var h in headers.NonValidated)
        foreach (var v in h.Value)
            list.Add((h.Key, v));
    }

    /// <summary>Disposes the client when this interpreter created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
            _client.Dispose();
    }
}
