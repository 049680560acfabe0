using System.Buffers;
using System.Globalization;

namespace Klaviyo;

/// <summary>
/// Reads a response body into memory, bounded: never more than a limit, counted on the decompressed stream, and
/// never allocating what a <c>Content-Length</c> merely claims (the buffer grows with what actually arrives).
/// </summary>
internal static class ResponseBodyReader
{
    private const int Chunk = 16 * 1024;

    // Up to this size an announced length is allocated at once; above it the buffer grows with what arrives.
    private const long TrustedLength = 1024 * 1024;

    /// <summary>The body, or (with an empty body) a message saying it is larger than <paramref name="limit"/>.</summary>
    /// <param name="content">The response content.</param>
    /// <param name="limit">The most bytes accepted.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    public static async Task<(ReadOnlyMemory<byte> Bytes, string? TooLarge)> ReadAsync(
        HttpContent content,
        long limit,
        CancellationToken cancellationToken
    )
    {
        var announced = content.Headers.ContentLength;
        if (announced is { } claimed && claimed > limit)
            return TooLarge(
                limit,
                $"its Content-Length is {claimed.ToString(CultureInfo.InvariantCulture)} bytes"
            );
        if (announced == 0)
            return (ReadOnlyMemory<byte>.Empty, null);
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (announced is { } exact and <= TrustedLength)
        {
            // The handler ends the stream at Content-Length (and fails if it ends early): one exact buffer.
            var bytes = new byte[exact];
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return (bytes, null);
        }
        var buffer = new ArrayBufferWriter<byte>(Chunk);
        long total = 0;
        while (true)
        {
            var read = await stream
                .ReadAsync(buffer.GetMemory(Chunk), cancellationToken)
                .ConfigureAwait(false);
            if (read == 0)
                break;
            total += read;
            if (total > limit)
                return TooLarge(limit, "more arrived");
            buffer.Advance(read);
        }
        return (total == 0 ? ReadOnlyMemory<byte>.Empty : buffer.WrittenMemory, null);
    }

    private static (ReadOnlyMemory<byte>, string) TooLarge(long limit, string why) =>
        (
            ReadOnlyMemory<byte>.Empty,
            $"the response body is larger than the {Size(limit)} the client accepts (ClientOptions.MaxResponseBytes): {why}"
        );

    private static string Size(long bytes) =>
        bytes % (1024 * 1024) == 0
            ? $"{(bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MiB"
            : $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";
}
