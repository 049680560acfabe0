using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>One part of a <c>multipart/form-data</c> body as it was encoded.</summary>
/// <param name="HeaderBlock">The part's header lines, joined by CRLF, without the blank line that ends them.</param>
/// <param name="Name">The form field name from <c>Content-Disposition</c>, when present.</param>
/// <param name="FileName">The file name from <c>Content-Disposition</c>; <c>null</c> for a text field.</param>
/// <param name="ContentType">The part's <c>Content-Type</c>, when present.</param>
/// <param name="Content">The part's bytes.</param>
internal sealed record MultipartSection(
    string HeaderBlock,
    string? Name,
    string? FileName,
    string? ContentType,
    ReadOnlyMemory<byte> Content
);

/// <summary>Reads and writes <c>multipart/form-data</c> bodies as <see cref="RequestBuilder"/> encodes them. Pure.</summary>
internal static class MultipartBody
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] BlankLine = "\r\n\r\n"u8.ToArray();

    /// <summary>The <c>boundary</c> parameter of a multipart content type, or <c>null</c>.</summary>
    /// <param name="contentType">The content-type header value.</param>
    public static string? Boundary(string? contentType)
    {
        if (
            contentType is null
            || !contentType.TrimStart().StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
        )
            return null;
        foreach (var parameter in contentType.Split(';').Skip(1))
        {
            var eq = parameter.IndexOf('=');
            if (
                eq < 0
                || !parameter[..eq].Trim().Equals("boundary", StringComparison.OrdinalIgnoreCase)
            )
                continue;
            var value = parameter[(eq + 1)..].Trim().Trim('"');
            return value.Length == 0 ? null : value;
        }
        return null;
    }

    /// <summary>
    /// The parts of <paramref name="body"/>, plus what follows the closing delimiter; <c>None</c> when the body does
    /// not have the expected shape (then it is treated as opaque bytes).
    /// </summary>
    /// <param name="body">The body.</param>
    /// <param name="boundary">The boundary.</param>
    public static Option<(Seq<MultipartSection> Parts, ReadOnlyMemory<byte> Epilogue)> Parse(
        ReadOnlyMemory<byte> body,
        string boundary
    )
    {
        var delimiter = Encoding.UTF8.GetBytes("--" + boundary);
        var nextDelimiter = Encoding.UTF8.GetBytes("\r\n--" + boundary);
        var span = body.Span;
        if (!span.StartsWith(delimiter))
            return None;
        var parts = new List<MultipartSection>();
        var position = delimiter.Length;
        while (true)
        {
            var rest = span[position..];
            if (rest.StartsWith("--"u8))
                return (parts.ToSeq(), body[(position + 2)..]);
            if (!rest.StartsWith(Crlf))
                return None;
            position += 2;
            var headerEnd = span[position..].IndexOf(BlankLine);
            if (headerEnd < 0)
                return None;
            var headerBlock = Encoding.UTF8.GetString(span.Slice(position, headerEnd));
            var contentStart = position + headerEnd + BlankLine.Length;
            var contentLength = span[contentStart..].IndexOf(nextDelimiter);
            if (contentLength < 0)
                return None;
            var (name, fileName, contentType) = ReadHeaders(headerBlock);
            parts.Add(
                new MultipartSection(
                    headerBlock,
                    name,
                    fileName,
                    contentType,
                    body.Slice(contentStart, contentLength)
                )
            );
            position = contentStart + contentLength + nextDelimiter.Length;
        }
    }

    /// <summary>Writes parts back in the same layout <see cref="Parse"/> reads.</summary>
    /// <param name="parts">The parts.</param>
    /// <param name="epilogue">What follows the closing <c>--</c>.</param>
    /// <param name="boundary">The boundary.</param>
    public static byte[] Write(
        Seq<MultipartSection> parts,
        ReadOnlyMemory<byte> epilogue,
        string boundary
    )
    {
        using var ms = new MemoryStream();
        var delimiter = Encoding.UTF8.GetBytes("--" + boundary);
        foreach (var part in parts)
        {
            ms.Write(delimiter);
            ms.Write(Crlf);
            ms.Write(Encoding.UTF8.GetBytes(part.HeaderBlock));
            ms.Write(BlankLine);
            ms.Write(part.Content.Span);
            ms.Write(Crlf);
        }
        ms.Write(delimiter);
        ms.Write("--"u8);
        ms.Write(epilogue.Span);
        return ms.ToArray();
    }

    private static (string? Name, string? FileName, string? ContentType) ReadHeaders(string block)
    {
        string? name = null,
            fileName = null,
            contentType = null;
        foreach (var line in block.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
                continue;
            var header = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (header.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                contentType = value;
            else if (header.Equals("content-disposition", StringComparison.OrdinalIgnoreCase))
            {
                name = Parameter(value, "name");
                fileName = Parameter(value, "filename");
            }
        }
        return (name, fileName, contentType);
    }

    // Reads name="…" (with \" and \\ escapes, as RequestBuilder writes them) from a content disposition.
    private static string? Parameter(string disposition, string parameter)
    {
        var i = 0;
        while (i < disposition.Length)
        {
            var semicolon = disposition.IndexOf(';', i);
            if (semicolon < 0)
                return null;
            var start = semicolon + 1;
            while (start < disposition.Length && disposition[start] == ' ')
                start++;
            var eq = disposition.IndexOf('=', start);
            if (eq < 0)
                return null;
            var key = disposition[start..eq].Trim();
            var sb = new StringBuilder();
            var j = eq + 1;
            if (j < disposition.Length && disposition[j] == '"')
            {
                j++;
                for (; j < disposition.Length && disposition[j] != '"'; j++)
                {
                    if (disposition[j] == '\\' && j + 1 < disposition.Length)
                        j++;
                    sb.Append(disposition[j]);
                }
                j++;
            }
            else
            {
                for (; j < disposition.Length && disposition[j] != ';'; j++)
                    sb.Append(disposition[j]);
            }
            if (key.Equals(parameter, StringComparison.OrdinalIgnoreCase))
                return sb.ToString();
            i = j;
        }
        return null;
    }

    private static Option<(Seq<MultipartSection>, ReadOnlyMemory<byte>)> None =>
        Option<(Seq<MultipartSection>, ReadOnlyMemory<byte>)>.None;
}
