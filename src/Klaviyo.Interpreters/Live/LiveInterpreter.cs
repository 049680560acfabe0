using System.Net;
using System.Net.Http.Headers;
using Flurl.Http;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Sends requests over HTTP with Flurl.Http, on its lean path: the structured request becomes bytes only here (the
/// URL, the headers, the credential revealed, the body encoded), the response is read from
/// <see cref="HttpCompletionOption.ResponseHeadersRead"/> straight into a byte buffer of at most
/// <see cref="KlaviyoRequest.MaxResponseBytes"/>, Flurl's redirect and cookie handling are off, any status is
/// returned (never thrown), and one client is reused across calls.
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
        if (request.RequiresCredentials && request.Authorization is null)
            return new KlaviyoError.Validation(
                LanguageExt.Prelude.Seq1(
                    "no credentials: set KlaviyoOptions.ApiKey (a private key, pk_…) or AccessToken; an unauthenticated request was not sent"
                )
            )
            {
                Attempts = 0,
            };
        // The per-request timeout: a linked source only when the caller's token can be cancelled, a plain timed
        // source when it cannot, and none at all for an infinite timeout on a token that cannot be cancelled.
        var finite = request.Timeout != System.Threading.Timeout.InfiniteTimeSpan;
        using var timeout =
            cancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : finite ? new CancellationTokenSource()
            : null;
        if (finite)
            timeout!.CancelAfter(request.Timeout);
        var token = timeout?.Token ?? cancellationToken;
        try
        {
            var flurlRequest = _client.Request(request.Url);
            var requestHeaders = request.Headers;
            for (var i = 0; i < requestHeaders.Count; i++)
            {
                var (name, value) = requestHeaders[i];
                if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                    continue;
                flurlRequest.Headers.Add(name, value);
            }
            if (request.Authorization is { } credential)
                flurlRequest.Headers.Add("authorization", credential.Reveal());
            HttpContent? content = null;
            if (request.Content is not RequestContent.Empty)
            {
                content = new ReadOnlyMemoryContent(request.Content.ToBytes());
                if (request.ContentType is { } type)
                    content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
            using var response = await flurlRequest
                .SendAsync(request.Method, content, HttpCompletionOption.ResponseHeadersRead, token)
                .ConfigureAwait(false);
            var message = response.ResponseMessage;
            var status = (int)message.StatusCode;
            var headers = Headers(message);
            var body = await ResponseBodyReader
                .ReadAsync(message.Content, request.MaxResponseBytes, token)
                .ConfigureAwait(false);
            return body.Match<Either<KlaviyoError, RawResponse>>(
                bytes => new RawResponse(status, headers, bytes),
                tooLarge => new KlaviyoError.Decode(
                    tooLarge,
                    status,
                    new ResponseHeaders(headers),
                    ""
                )
            );
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && IsCancellation(e))
        {
            return new KlaviyoError.Cancelled();
        }
        catch (Exception e) when (timeout is { IsCancellationRequested: true } && IsCancellation(e))
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
                        or InvalidOperationException
                        or FormatException
            )
        {
            return new KlaviyoError.Transport(request.Scrub(Describe(e)))
            {
                RequestSent = !NeverConnected(e),
            };
        }
    }

    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException
        || e.InnerException is OperationCanceledException
        || e is FlurlHttpTimeoutException;

    // The connection could not be made, so nothing reached the server: safe to send again, whatever the method.
    private static bool NeverConnected(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (
                inner is HttpRequestException
                {
                    HttpRequestError: HttpRequestError.ConnectionError
                        or HttpRequestError.NameResolutionError
                        or HttpRequestError.SecureConnectionError
                        or HttpRequestError.ProxyTunnelError
                }
            )
                return true;
        return false;
    }

    private static string Describe(Exception e)
    {
        // Flurl wraps the socket error; the innermost message says what actually happened.
        var inner = e;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        return inner == e ? e.Message : $"{inner.Message} ({inner.GetType().Name})";
    }

    // One exact array, wrapped as a Seq without another copy.
    private static Seq<(string Name, string Value)> Headers(HttpResponseMessage message)
    {
        var count = Count(message.Headers) + Count(message.Content.Headers);
        if (count == 0)
            return Seq<(string Name, string Value)>.Empty;
        var all = new (string, string)[count];
        var at = Add(all, 0, message.Headers);
        Add(all, at, message.Content.Headers);
        return LanguageExt.UnsafeValueAccess.UnsafeValueAccessExtensions.ToSeqUnsafe(all);
    }

    private static int Count(HttpHeaders headers)
    {
        var count = 0;
        foreach (var h in headers.NonValidated)
            count += h.Value.Count;
        return count;
    }

    private static int Add((string, string)[] all, int at, HttpHeaders headers)
    {
        foreach (var h in headers.NonValidated)
        foreach (var v in h.Value)
            all[at++] = (h.Key, v);
        return at;
    }

    /// <summary>Disposes the client when this interpreter created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
            _client.Dispose();
    }
}
