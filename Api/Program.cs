using Nio.Api.Admin;
using Nio.Api.Auth;
using Nio.Api.Chat;
using Nio.Api.Database;
using Nio.Api.Hosting;
using Nio.Api.Jobs;
using Nio.Api.Payments;
using Nio.Api.Retention;
using Nio.Api.Search;
using Nio.Api.Streams;
using Nio.Api.Users;
using Nio.Api.Wallet;

var builder = WebApplication.CreateBuilder(args);
var dataFolder = builder.AddNioDefaults();
var connectionString = builder.AddNioDatabase();
builder.Services.AddSingleton<UserRepository>();
builder.AddNioAuth(dataFolder);
builder.AddNioStreams(dataFolder);
builder.AddNioStreamHealth();
builder.AddNioRetention(dataFolder);
builder.AddNioChat();
builder.AddNioWallet();
builder.AddNioJobs(connectionString);

var app = builder.Build();
app.UseNioDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseNioJobs();
app.MapAuthApi();
app.MapUsersApi();
app.MapAvatarsApi();
app.MapStreamsApi();
app.MapSearchApi();
app.MapStreamHealthApi();
app.MapIngestApi();
app.MapTranscoderApi();
app.MapRetentionApi();
app.MapNioChat();
app.MapAdminUsersApi();
app.MapNioWallet();
app.MapClientConfigApi();
app.MapNioWebApp();
app.Run();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
