using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>Image uploads arrive at a real server as a multipart form it can parse, bytes and fields intact.</summary>
public class ImageUploadTests
{
    private sealed record ParsedForm(
        byte[] FileBytes,
        string? FileName,
        string? FileContentType,
        string? Name,
        string? Hidden,
        int FileCount
    );

    // Kestrel's own form parser reads what LoopbackServer recorded, exactly as an ASP.NET endpoint would.
    private static async Task<(
        LoopbackServer Server,
        Func<ParsedForm?> Parsed
    )> StartParsingServer()
    {
        ParsedForm? parsed = null;
        var server = await LoopbackServer.StartAsync(
            async (ctx, received) =>
            {
                ctx.Request.Body = new MemoryStream(received.Body);
                var form = await ctx.Request.ReadFormAsync();
                var file = form.Files.GetFile("file");
                using var bytes = new MemoryStream();
                if (file is not null)
                    await file.CopyToAsync(bytes);
                parsed = new ParsedForm(
                    bytes.ToArray(),
                    file?.FileName,
                    file?.ContentType,
                    form.TryGetValue("name", out var n) ? n.ToString() : null,
                    form.TryGetValue("hidden", out var h) ? h.ToString() : null,
                    form.Files.Count
                );
                ctx.Response.StatusCode = 201;
                ctx.Response.ContentType = "application/vnd.api+json";
                await ctx.Response.WriteAsync("""{"data":{"type":"image","id":"7"}}""");
            }
        );
        return (server, () => parsed);
    }

    private static byte[] SomeImage()
    {
        // Every byte value, CR/LF pairs and a would-be boundary included, so nothing survives by luck.
        var bytes = new byte[4096];
        RandomNumberGenerator.Fill(bytes);
        for (var i = 0; i < 256; i++)
            bytes[i] = (byte)i;
        "\r\n--klaviyo-\r\n"u8.CopyTo(bytes.AsSpan(300));
        return bytes;
    }

    [Fact]
    public async Task Upload_from_bytes_arrives_with_file_name_content_type_name_and_hidden()
    {
        var (server, parsed) = await StartParsingServer();
        await using var _ = server;
        var image = SomeImage();

        var result = await Images
            .UploadImageFromFile(image, "logo ü.png", name: "Brand logo", hidden: true)
            .SendAsync(server.Options(new KlaviyoOptions { ApiKey = "pk_test" }));

        Assert.True(result.IsRight, result.ToString());
        var form = parsed()!;
        Assert.Equal(image, form.FileBytes);
        Assert.Equal("logo ü.png", form.FileName);
        Assert.Equal("image/png", form.FileContentType);
        Assert.Equal("Brand logo", form.Name);
        Assert.Equal("true", form.Hidden);
        Assert.Equal(1, form.FileCount);
        var got = Assert.Single(server.Received);
        Assert.Equal("/api/image-upload", got.Path);
        Assert.StartsWith("multipart/form-data; boundary=", got.Header("content-type"));
        Assert.Equal("Klaviyo-API-Key pk_test", got.Header("authorization"));
    }

    [Fact]
    public async Task Upload_from_a_stream_reads_it_and_sends_the_same_form()
    {
        var (server, parsed) = await StartParsingServer();
        await using var _ = server;
        var image = SomeImage();
        await using var stream = new MemoryStream(image);

        var op = await ImagesUpload.UploadImageFromFileAsync(
            stream,
            "photo.jpg",
            hidden: false,
            fieldsImage: ["name"]
        );
        var result = await op.SendAsync(server.Options());

        Assert.True(result.IsRight, result.ToString());
        var form = parsed()!;
        Assert.Equal(image, form.FileBytes);
        Assert.Equal("photo.jpg", form.FileName);
        Assert.Equal("image/jpeg", form.FileContentType);
        Assert.Null(form.Name); // not given, so not sent: Klaviyo then uses the file name
        Assert.Equal("false", form.Hidden);
        Assert.Equal("?fields%5Bimage%5D=name", Assert.Single(server.Received).QueryString);
        Assert.Equal(
            Images.UploadImageFromFile(image, "photo.jpg", hidden: false, fieldsImage: ["name"]),
            op
        );
    }

    [Fact]
    public void An_explicit_content_type_wins_over_the_guess()
    {
        var op = Images.UploadImageFromFile(
            new byte[] { 1 },
            "image.bin",
            contentType: "image/gif"
        );

        var part = Assert.IsType<RequestBody.MultipartParts>(op.Body).Parts.Head;
        Assert.Equal("image/gif", part.ContentType);
        Assert.Equal("application/octet-stream", MediaTypes.FromFileName("image.bin"));
    }
}
