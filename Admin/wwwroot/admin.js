// The panel's browser-side helpers, called from C# through IJSRuntime.
// hls.js is fetched the first time a preview plays: most pages never need it.
let hlsLoaded;
function loadHls() {
  hlsLoaded ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'lib/hls.min.js';
    script.onload = resolve;
    script.onerror = reject;
    document.head.appendChild(script);
  });
  return hlsLoaded;
}

window.nioAdmin = {
  // Plays an LL-HLS playlist in the video element (hls.js where Media Source Extensions exist, natively on Safari).
  // Returns nothing; a previous player on the same element is destroyed first.
  async playHls(video, url) {
    await loadHls();
    if (video.nioHls) {
      video.nioHls.destroy();
      video.nioHls = null;
    }
    video.muted = true;
    if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls({ lowLatencyMode: true });
      // A preview is watched for minutes: a dropped request or a broken part must not end it for good.
      hls.on(window.Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal || video.nioHls !== hls) return;
        console.warn(`preview: ${data.type} ${data.details}, recovering`);
        if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
        } else {
          setTimeout(() => video.nioHls === hls && hls.startLoad(), 1000);
        }
      });
      hls.once(window.Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
      hls.loadSource(url);
      hls.attachMedia(video);
      video.nioHls = hls;
    } else {
      video.src = url;
      video.play().catch(() => {});
    }
  },
  stopHls(video) {
    if (video && video.nioHls) {
      video.nioHls.destroy();
      video.nioHls = null;
    }
  },
};
