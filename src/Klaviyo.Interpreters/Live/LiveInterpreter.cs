using System.Net;
using System.Net.Http.Headers;
using Flurl.Http;
using Flurl.Http.Testing;
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
    private readonly TimeoutSources _sources = new();

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
    public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    ) => SendAsync<RawResponse, AsReceived>(request, null, cancellationToken);

    /// <summary>
    /// Sends and classifies in one async frame: what <see cref="Exchange"/> does with <see cref="ExecuteAsync"/>'s
    /// answer (<see cref="RawResponse.Classify(KlaviyoRequest, IJsonCodec?)"/>), done here when nothing stands between
    /// the exchange and this transport, so the call takes one state machine and one task instead of two.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="codec">The codec that classifies the answer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    internal Task<Either<KlaviyoError, KlaviyoResponse>> ExchangeAsync(
        KlaviyoRequest request,
        IJsonCodec codec,
        CancellationToken cancellationToken
    ) => SendAsync<KlaviyoResponse, Classified>(request, codec, cancellationToken);

    // What a call returns once the response is read: as received, or classified.
    private interface IAnswer<T>
    {
        static abstract Either<KlaviyoError, T> From(
            RawResponse raw,
            KlaviyoRequest request,
            IJsonCodec? codec
        );
    }

    private readonly struct AsReceived : IAnswer<RawResponse>
    {
        public static Either<KlaviyoError, RawResponse> From(
            RawResponse raw,
            KlaviyoRequest request,
            IJsonCodec? codec
        ) => raw;
    }

    private readonly struct Classified : IAnswer<KlaviyoResponse>
    {
        public static Either<KlaviyoError, KlaviyoResponse> From(
            RawResponse raw,
            KlaviyoRequest request,
            IJsonCodec? codec
        ) => raw.Classify(request, codec);
    }

    private async Task<Either<KlaviyoError, T>> SendAsync<T, TAnswer>(
        KlaviyoRequest request,
        IJsonCodec? codec,
        CancellationToken cancellationToken
    )
        where TAnswer : struct, IAnswer<T>
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
        // The per-request timeout and the caller's token meet in one source taken from a small pool (reset after a call
        // that was not cancelled), so a call costs no new source, timer or registrations; none at all for an
        // infinite timeout on a token that cannot be cancelled.
        var finite = request.Timeout != System.Threading.Timeout.InfiniteTimeSpan;
        var timeout = finite || cancellationToken.CanBeCanceled ? _sources.Rent() : null;
        if (finite)
            timeout!.CancelAfter(request.Timeout);
        var link = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(
                static source => ((CancellationTokenSource)source!).Cancel(),
                timeout
            )
            : default;
        var token = timeout?.Token ?? cancellationToken;
        HttpRequestMessage? lean = null;
        try
        {
            HttpContent? content = null;
            if (request.Content is not RequestContent.Empty)
            {
                content = new ReadOnlyMemoryContent(request.Content.ToBytes());
                if (request.ContentType is { } type)
                    content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
            // Under Flurl's HttpTest the call goes through FlurlClient.SendAsync, where the test intercepts and records
            // it; otherwise straight to the FlurlClient's HttpClient, skipping the per-call work Flurl adds (its URL
            // object, header list, call record, second Uri) that this interpreter does not use.
            Task<HttpResponseMessage> sending;
            if (HttpTest.Current is null)
            {
                lean = Message(request, content);
                sending = _client.HttpClient.SendAsync(
                    lean,
                    HttpCompletionOption.ResponseHeadersRead,
                    token
                );
            }
            else
                sending = ThroughFlurlAsync(request, content, token);
            using var message = await sending.ConfigureAwait(false);
            var status = (int)message.StatusCode;
            var headers = Headers(message);
            var body = await ResponseBodyReader
                .ReadAsync(message.Content, request.MaxResponseBytes, token)
                .ConfigureAwait(false);
            return body.TooLarge is { } tooLarge
                ? new KlaviyoError.Decode(tooLarge, status, new ResponseHeaders(headers), "")
                : TAnswer.From(new RawResponse(status, headers, body.Bytes), request, codec);
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
        {
            // Whatever the handler throws (Flurl's and the socket's errors, or a caller's own handler failing) is a
            // transport failure: this interpreter never throws, so the chain needs no guard around it.
            return new KlaviyoError.Transport(request.Scrub(Describe(e)))
            {
                RequestSent = !NeverConnected(e),
            };
        }
        finally
        {
            lean?.Dispose();
            link.Dispose();
            if (timeout is not null)
                _sources.Return(timeout);
        }
    }

    // The request as HttpClient takes it: the headers as built (content headers on the content), the credential revealed
    // only here.
    private static HttpRequestMessage Message(KlaviyoRequest request, HttpContent? content)
    {
        var message = new HttpRequestMessage(request.Method, new Uri(request.Url, UriKind.Absolute))
        {
            Content = content,
        };
        var headers = request.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!message.Headers.TryAddWithoutValidation(name, value))
                content?.Headers.TryAddWithoutValidation(name, value);
        }
        if (request.Authorization is { } credential)
            message.Headers.TryAddWithoutValidation("authorization", credential.Reveal());
        return message;
    }

    // The same request through Flurl's own send, so that an HttpTest in scope fakes and records it.
    private async Task<HttpResponseMessage> ThroughFlurlAsync(
        KlaviyoRequest request,
        HttpContent? content,
        CancellationToken token
    )
    {
        var flurlRequest = _client.Request(request.Url);
        var headers = request.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                continue;
            flurlRequest.Headers.Add(name, value);
        }
        if (request.Authorization is { } credential)
            flurlRequest.Headers.Add("authorization", credential.Reveal());
        var response = await flurlRequest
            .SendAsync(request.Method, content, HttpCompletionOption.ResponseHeadersRead, token)
            .ConfigureAwait(false);
        return response.ResponseMessage;
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
