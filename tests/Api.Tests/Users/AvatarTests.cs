using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Nio.Api.Auth;
using Nio.TestSupport;
using SkiaSharp;

namespace Nio.Api.Tests.Users;

/// <summary>Avatar uploads with real pictures made by FFmpeg, through the real server (Kestrel and its body limits), and the avatars as the Api serves them.</summary>
public sealed class AvatarTests(LiveApiFactory api) : IClassFixture<LiveApiFactory>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nio-avatar-tests-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A picture FFmpeg draws from a lavfi source into a file of the given extension.</summary>
    private async Task<byte[]> PictureAsync(string extension, params string[] source)
    {
        var file = Path.Combine(folder, $"{Guid.NewGuid():N}.{extension}");
        var (exitCode, _, error) = await TestHost.RunAsync("ffmpeg", ["-v", "error", .. source, "-frames:v", "1", "-y", file]);
        Assert.True(exitCode == 0, error);
        return await File.ReadAllBytesAsync(file);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return await client.PutAsync("/api/users/me/avatar", content);
    }

    [Theory]
    [InlineData("png", "image/png", "testsrc=size=640x360")]
    [InlineData("jpg", "image/jpeg", "testsrc=size=300x500")]
    [InlineData("gif", "image/gif", "testsrc=size=120x90")]
    [InlineData("webp", "image/webp", "testsrc=size=400x400")]
    public async Task A_picture_becomes_a_256_square_webp_served_for_good(string extension, string contentType, string source)
    {
        var user = await api.RegisterAsync();
        var client = api.ClientWithToken(user.AccessToken);
        var picture = await PictureAsync(extension, "-f", "lavfi", "-i", source);

        var response = await UploadAsync(client, picture, contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = (await response.Content.ReadFromJsonAsync<UserView>())!;
        Assert.Matches("^/api/avatars/[0-9a-f]{64}\\.webp$", me.AvatarUrl);
        Assert.Equal(me.AvatarUrl, (await client.GetFromJsonAsync<UserView>("/api/auth/me"))!.AvatarUrl);

        var served = await api.ClientWithToken(null).GetAsync(me.AvatarUrl);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/webp", served.Content.Headers.ContentType?.MediaType);
        var cache = served.Headers.CacheControl!;
        Assert.True(cache.Public);
        Assert.Equal(TimeSpan.FromSeconds(31536000), cache.MaxAge);
        Assert.Contains(cache.Extensions, e => e.Name == "immutable");
        var (codec, width, height) = await MediaProbe.PictureAsync(await served.Content.ReadAsByteArrayAsync());
        Assert.Equal((256, 256, "webp"), (width, height, codec));
    }

    [Fact]
    public async Task A_phone_photo_of_a_few_megabytes_is_taken()
    {
        var user = await api.RegisterAsync();
        // Noise does not compress: a 1200x1200 PNG of it is about 4 MiB, above the server's 1 MiB cap on other bodies.
        var picture = await PictureAsync("png", "-f", "lavfi", "-i", "nullsrc=s=1200x1200,geq=random(1)*255:random(2)*255:random(3)*255");
        Assert.InRange(picture.Length, 2 * 1024 * 1024, Nio.Api.Pictures.StoredPictures.MaxUploadBytes);

        var response = await UploadAsync(api.ClientWithToken(user.AccessToken), picture, "image/png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = (await response.Content.ReadFromJsonAsync<UserView>())!;
        var (_, width, height) = await MediaProbe.PictureAsync(await api.ClientWithToken(null).GetByteArrayAsync(me.AvatarUrl));
        Assert.Equal((256, 256), (width, height));
    }

    [Fact]
    public async Task The_avatar_is_the_centred_square_of_a_wide_picture()
    {
        var user = await api.RegisterAsync();
        // Red, green and blue squares side by side: the centred square is the green one.
        var picture = await PictureAsync("png",
            "-f", "lavfi", "-i", "color=c=red:s=100x100", "-f", "lavfi", "-i", "color=c=0x00FF00:s=100x100",
            "-f", "lavfi", "-i", "color=c=blue:s=100x100", "-filter_complex", "hstack=inputs=3");

        var me = (await (await UploadAsync(api.ClientWithToken(user.AccessToken), picture, "image/png")).Content.ReadFromJsonAsync<UserView>())!;

        using var avatar = SKBitmap.Decode(await api.ClientWithToken(null).GetByteArrayAsync(me.AvatarUrl));
        foreach (var (x, y) in new[] { (2, 2), (253, 2), (128, 128), (2, 253), (253, 253) })
        {
            var pixel = avatar.GetPixel(x, y);
            Assert.True(pixel.Green > 200 && pixel.Red < 60 && pixel.Blue < 60, $"pixel ({x},{y}) is {pixel}");
        }
    }

    [Fact]
    public async Task The_same_picture_twice_is_one_stored_avatar()
    {
        var picture = await PictureAsync("png", "-f", "lavfi", "-i", "testsrc=size=200x200");
        var first = await api.RegisterAsync();
        var second = await api.RegisterAsync();

        var a = (await (await UploadAsync(api.ClientWithToken(first.AccessToken), picture, "image/png")).Content.ReadFromJsonAsync<UserView>())!;
        var b = (await (await UploadAsync(api.ClientWithToken(second.AccessToken), picture, "image/png")).Content.ReadFromJsonAsync<UserView>())!;

        Assert.Equal(a.AvatarUrl, b.AvatarUrl);
    }

    [Fact]
    public async Task Text_labelled_as_png_is_400_and_the_avatar_stays()
    {
        var user = await api.RegisterAsync();
        var client = api.ClientWithToken(user.AccessToken);

        var response = await UploadAsync(client, "definitely not a picture\n"u8.ToArray(), "image/png");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Null((await client.GetFromJsonAsync<UserView>("/api/auth/me"))!.AvatarUrl);
    }

    [Fact]
    public async Task A_picture_of_another_type_than_declared_or_cut_short_is_400()
    {
        var client = api.ClientWithToken((await api.RegisterAsync()).AccessToken);
        var png = await PictureAsync("png", "-f", "lavfi", "-i", "testsrc=size=320x240");

        await (await UploadAsync(client, png, "image/jpeg")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await UploadAsync(client, png[..(png.Length / 2)], "image/png")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await UploadAsync(client, png[..16], "image/png")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_over_5_MiB_is_413()
    {
        var client = api.ClientWithToken((await api.RegisterAsync()).AccessToken);
        // Asked first, the server refuses before the 6 MiB are sent (without it, the refusal races the upload and the
        // client may see the connection closed rather than the answer).
        client.DefaultRequestHeaders.ExpectContinue = true;
        var body = new byte[6 * 1024 * 1024];
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(body, 0);

        await (await UploadAsync(client, body, "image/png")).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("image/svg+xml")]
    [InlineData("application/json")]
    [InlineData(null)]
    public async Task Other_content_types_are_415(string? contentType)
    {
        var client = api.ClientWithToken((await api.RegisterAsync()).AccessToken);

        await (await UploadAsync(client, "<svg/>"u8.ToArray(), contentType)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Uploading_needs_sign_in()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await UploadAsync(api.ClientWithToken(null), [1, 2, 3], "image/png")).StatusCode);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000.webp")]
    [InlineData("..%2F..%2Fsecrets%2Fjwt_secret")]
    [InlineData("ABC.webp")]
    [InlineData("avatar.png")]
    public async Task Unknown_or_malformed_avatar_names_are_404(string name)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await api.ClientWithToken(null).GetAsync($"/api/avatars/{name}")).StatusCode);
    }
}
