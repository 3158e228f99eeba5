using Nio.Transcoder.Hosting;

TranscoderHost.Build(args).Run();
