import { attachmentDisposition } from '../http/content-disposition';
import { safeFilename } from '../http/multipart-upload';
import { sniffContentType } from './file-kind';

describe('file types from their bytes', () => {
  it('knows PDF, PNG and JPEG by their magic numbers, and nothing else', () => {
    expect(sniffContentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(sniffContentType(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffContentType(Buffer.from('%PD'))).toBeNull();
  });

  it('names downloads safely: no path, no quotes, the checked extension, UTF-8 beside an ASCII fallback', () => {
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('C:\\Users\\x\\certif"icat.pdf')).toBe('certificat.pdf');
    expect(safeFilename('')).toBe('piece-jointe');
    expect(attachmentDisposition('carnet', 'image/png')).toBe(`attachment; filename="carnet.png"; filename*=UTF-8''carnet.png`);
    expect(attachmentDisposition('santé.pdf', 'application/pdf')).toBe(`attachment; filename="sante.pdf"; filename*=UTF-8''sant%C3%A9.pdf`);
    expect(attachmentDisposition('photo.jpeg', 'image/jpeg')).toBe(`attachment; filename="photo.jpeg"; filename*=UTF-8''photo.jpeg`);
  });
});
