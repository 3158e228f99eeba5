import type { GiftEvent } from '../api/gifts';
import { ChatLines } from './ChatLines';
import { Composer } from './Composer';
import { ReactionBar } from './ReactionBar';
import { useRoom, type RoomStatus } from './useRoom';

const statusText: Record<RoomStatus, string> = {
  connecting: 'Connecting…',
  joined: 'Live chat',
  reconnecting: 'Reconnecting…',
  failed: 'Chat unavailable',
};

/** The stream's live room beside the player: viewers, messages, reactions and (signed in) a message box; gifts go to `onGift`. */
export function ChatPanel({ streamId, onGift }: { streamId: string; onGift?: (event: GiftEvent) => void }) {
  const room = useRoom(streamId, onGift);
  return (
    <aside className="chat" data-testid="chat" data-status={room.status}>
      <header className="chat-header">
        <span>{statusText[room.status]}</span>
        {room.viewerCount !== null && (
          <span data-testid="viewer-count">
            {room.viewerCount} {room.viewerCount === 1 ? 'viewer' : 'viewers'}
          </span>
        )}
      </header>
      {room.notice && <p className="chat-notice">{room.notice}</p>}
      <ChatLines lines={room.lines} />
      <ReactionBar bursts={room.bursts} enabled={room.signedIn && room.status === 'joined'} onReact={room.react} />
      {room.signedIn ? (
        <Composer enabled={room.status === 'joined'} onSend={room.send} />
      ) : (
        <p className="chat-notice">
          {room.signInRefused ? 'Your sign-in was refused (expired?); reading as a guest.' : 'Sign in to chat and react; guests can read along.'}
        </p>
      )}
    </aside>
  );
}
